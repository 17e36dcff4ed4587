using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Options;
using XenDisplayWeb.Shared.Backend;

namespace XenDisplayWeb.Server.Tests;

public class BackendSettingsTests
{
    [Fact]
    public void The_server_does_not_start_with_a_bad_limit_and_names_the_key()
    {
        using var factory = new DashboardFactory().WithWebHostBuilder(b => b.UseSetting("Backend:MaxDbufs", "0"));
        var e = Assert.ThrowsAny<OptionsValidationException>(() => factory.CreateClient());
        Assert.Contains("Backend:MaxDbufs must be at least 1, not 0", e.Message);
    }

    [Fact]
    public async Task The_limits_in_the_settings_are_the_ones_the_backend_applies()
    {
        using var factory = new DashboardFactory().WithWebHostBuilder(b => b.UseSetting("Backend:MaxDbufs", "7"));
        using var api = factory.CreateClient();
        api.DefaultRequestHeaders.Authorization = new("Bearer", DashboardFactory.OperatorToken);
        var backend = await api.GetFromJsonAsync<JsonElement>("/api/domains/1/backend");
        Assert.Equal(7, backend.GetProperty("limits").GetProperty("maxDbufs").GetInt32());
    }

    [Fact]
    public void A_bad_input_setting_stops_the_start_and_names_its_key()
    {
        using var factory = new DashboardFactory().WithWebHostBuilder(b => b.UseSetting("Backend:Input:MtNumContacts", "0"));
        var e = Assert.ThrowsAny<OptionsValidationException>(() => factory.CreateClient());
        Assert.Contains("Backend:Input:MtNumContacts", e.Message);
    }

    [Fact]
    public void The_input_settings_are_the_ones_the_vkbd_backend_offers()
    {
        using var factory = new DashboardFactory().WithWebHostBuilder(b => b.UseSetting("Backend:Input:MtNumContacts", "3"));
        using var api = factory.CreateClient();
        var system = ((SimulatedHostService)factory.Services.GetService(typeof(SimulatedHostService))!).System!;
        Assert.Equal(3, system.Kbd.Options.MtNumContacts);
    }

    private static string[] Errors(Action<BackendSettings> change)
    {
        var settings = new BackendSettings();
        change(settings);
        var result = new BackendSettingsValidator().Validate(null, settings);
        return result.Failed ? result.Failures.ToArray() : [];
    }

    [Fact]
    public void The_default_grant_pool_and_be_alloc_limit_are_sound()
    {
        Assert.Empty(Errors(_ => { }));
        var options = new BackendSettings().ToOptions();
        Assert.Equal(options.GrantPool.LargestShare * 4096, options.Limits.MaxBackendAllocatedBytes);
    }

    [Theory]
    [InlineData("TotalGrants", 0, "Backend:GrantPool:TotalGrants must be 1..65536 (dom0's grant table), not 0")]
    [InlineData("TotalGrants", 65537, "Backend:GrantPool:TotalGrants must be 1..65536 (dom0's grant table), not 65537")]
    [InlineData("GuaranteedPerGuest", 0, "Backend:GrantPool:GuaranteedPerGuest must be at least 1, not 0")]
    [InlineData("GuaranteedGuests", -1, "Backend:GrantPool:GuaranteedGuests must be at least 1, not -1")]
    [InlineData("GuaranteedGuests", 7, "Backend:GrantPool:GuaranteedGuests × GuaranteedPerGuest (7 × 8192 = 57344) must fit GrantPool:TotalGrants (49152)")]
    public void Grant_pool_shares_that_cannot_keep_their_promise_are_refused_by_key(string key, int value, string error)
    {
        var errors = Errors(s => typeof(GrantPoolOptions).GetProperty(key)!.SetValue(s.GrantPool, value));
        Assert.Equal([error], errors);
    }

    [Fact]
    public void A_be_alloc_limit_under_the_guarantee_or_over_the_largest_share_is_refused()
    {
        Assert.Equal(["Backend:MaxBackendAllocatedBytes (4194304: 1024 pages) must hold GrantPool:GuaranteedPerGuest (8192 pages, 33554432 bytes)"],
            Errors(s => s.MaxBackendAllocatedBytes = 4L << 20));
        Assert.Equal(["Backend:MaxBackendAllocatedBytes (268435456: 65536 pages) must not pass the largest share the grant pool can give one guest, "
            + "TotalGrants - (GuaranteedGuests - 1) × GuaranteedPerGuest = 24576 pages (100663296 bytes)"],
            Errors(s => s.MaxBackendAllocatedBytes = 256L << 20)); // the old default: the whole of dom0's table for one guest
        Assert.Empty(Errors(s => s.MaxBackendAllocatedBytes = 0)); // no be-alloc buffers: nothing to share
    }

    [Fact]
    public void The_server_does_not_start_with_grant_pool_shares_that_do_not_fit()
    {
        using var factory = new DashboardFactory().WithWebHostBuilder(b => b.UseSetting("Backend:GrantPool:GuaranteedGuests", "7"));
        var e = Assert.ThrowsAny<OptionsValidationException>(() => factory.CreateClient());
        Assert.Contains("Backend:GrantPool:GuaranteedGuests × GuaranteedPerGuest (7 × 8192 = 57344) must fit GrantPool:TotalGrants (49152)", e.Message);
    }

    [Fact]
    public async Task The_grant_pool_in_the_settings_is_the_one_the_backend_applies()
    {
        using var factory = new DashboardFactory().WithWebHostBuilder(b => b
            .UseSetting("Backend:GrantPool:TotalGrants", "40000")
            .UseSetting("Backend:GrantPool:GuaranteedPerGuest", "4000")
            .UseSetting("Backend:GrantPool:GuaranteedGuests", "3"));
        using var api = factory.CreateClient();
        api.DefaultRequestHeaders.Authorization = new("Bearer", DashboardFactory.OperatorToken);
        var pool = (await api.GetFromJsonAsync<JsonElement>("/api/domains/2/buffers")).GetProperty("grantPool");
        Assert.Equal((40000, 4000, 3), (pool.GetProperty("totalGrants").GetInt32(), pool.GetProperty("guaranteedPerGuest").GetInt32(), pool.GetProperty("guaranteedGuests").GetInt32()));
    }
}
