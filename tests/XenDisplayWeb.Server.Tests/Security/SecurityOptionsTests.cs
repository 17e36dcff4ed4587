using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Options;
using XenDisplayWeb.Server.Security;

namespace XenDisplayWeb.Server.Tests.Security;

public class SecurityOptionsTests
{
    private static ValidateOptionsResult Validate(string? op, string? viewer) =>
        new SecurityOptionsValidator().Validate(null, new SecurityOptions { OperatorToken = op, ViewerToken = viewer });

    [Fact]
    public void Unset_tokens_are_valid_and_become_random_distinct_ones()
    {
        Assert.True(Validate(null, "").Succeeded);
        var tokens = new DashboardTokens(Options.Create(new SecurityOptions()));
        Assert.True(tokens.OperatorGenerated && tokens.ViewerGenerated);
        Assert.NotEqual(tokens.Operator, tokens.Viewer);
        Assert.True(tokens.Operator.Length >= SecurityOptions.MinTokenLength);
        Assert.Equal(DashboardRoles.Operator, tokens.RoleOf(tokens.Operator));
        Assert.Equal(DashboardRoles.Viewer, tokens.RoleOf(tokens.Viewer));
        Assert.Null(tokens.RoleOf(tokens.Viewer[..^1]));
        Assert.Null(tokens.RoleOf(""));
    }

    [Fact]
    public void Short_or_equal_tokens_are_refused_with_the_setting_named_and_no_token_echoed()
    {
        var shortOne = Validate("short-secret", null);
        Assert.True(shortOne.Failed);
        Assert.Contains("Security:OperatorToken must be at least 16", shortOne.FailureMessage);
        Assert.DoesNotContain("short-secret", shortOne.FailureMessage);

        var same = Validate("the-same-token-0123456789", "the-same-token-0123456789");
        Assert.Contains("must differ", same.FailureMessage);
        Assert.DoesNotContain("the-same-token", same.FailureMessage);
    }

    [Fact]
    public void The_server_does_not_start_with_a_short_token()
    {
        using var factory = new DashboardFactory().WithWebHostBuilder(b => b.UseSetting("Security:ViewerToken", "too-short"));
        var e = Assert.ThrowsAny<OptionsValidationException>(() => factory.CreateClient());
        Assert.Contains("Security:ViewerToken", e.Message);
    }
}
