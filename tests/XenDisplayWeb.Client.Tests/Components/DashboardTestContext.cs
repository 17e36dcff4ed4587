using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using XenDisplayWeb.Client.Components;
using XenDisplayWeb.Client.Contract;
using XenDisplayWeb.Client.Services;
using XenDisplayWeb.Client.Tests.Contract;
using XenDisplayWeb.Client.Tests.Services;

namespace XenDisplayWeb.Client.Tests.Components;

/// <summary>
/// A bUnit context as a page's circuit has it: the feed, the controls, a time the test moves, the dashboard's
/// script module (<c>attach</c> answers a handle, <c>release</c> takes it back) and the user's role.
/// </summary>
public abstract class DashboardTestContext : BunitContext
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 23, 17, 0, 0, TimeSpan.Zero);

    protected FakeTimeProvider Time { get; } = new(T0);

    /// <summary>dashboard.js as BrowserPart imports it.</summary>
    protected BunitJSModuleInterop Script { get; }

    // A page re-renders from another thread (the feed's, a control's answer): on a machine busy with the other test
    // projects that can take longer than bUnit's 1 s default; waits end as soon as the assertion holds.
    static DashboardTestContext() => DefaultWaitTimeout = TimeSpan.FromSeconds(15);

    protected DashboardTestContext()
    {
        Services.AddSingleton<TimeProvider>(Time);
        Services.AddScoped<Client.Services.NotFoundReason>();
        Script = JSInterop.SetupModule(BrowserPart.ModulePath);
        Script.Setup<int>("attach", _ => true).SetResult(7);
        Script.SetupVoid("release", _ => true).SetVoidResult();
        Script.SetupVoid("paintHubState", _ => true).SetVoidResult();
    }

    /// <summary>What the pages read and call.</summary>
    protected void Use(IDashboardFeed feed, IDashboardControls controls)
    {
        Services.AddSingleton(feed);
        Services.AddSingleton(controls);
    }

    /// <summary>The circuit's user: signed in with <paramref name="role"/> (operator or viewer).</summary>
    protected void SignIn(string role) => AddAuthorization().SetAuthorized($"a {role}").SetRoles(role);

    /// <summary>The times the script was handed an element, and took one back.</summary>
    protected int Attached => Script.Invocations.Count(i => i.Identifier == "attach");

    protected int Released => Script.Invocations.Count(i => i.Identifier == "release");
}

/// <summary>Pages on a feed the test sets and raises, with controls that record their calls.</summary>
public abstract class FakeFeedTestContext : DashboardTestContext
{
    internal FakeDashboardFeed Feed { get; } = new();

    internal RecordingControls Controls { get; } = new();

    protected FakeFeedTestContext() => Use(Feed, Controls);
}
