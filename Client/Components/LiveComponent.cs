using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Http;
using XenDisplayWeb.Client.Models;
using XenDisplayWeb.Client.Services;

namespace XenDisplayWeb.Client.Components;

/// <summary>
/// A part of a page that shows the dashboard's state: it reads the feed when it starts and again whenever the
/// feed says something it <see cref="Shows"/> changed, and knows the viewer's role from the circuit's user.
/// </summary>
public abstract class LiveComponent : ComponentBase, IDisposable
{
    [Inject] protected IDashboardFeed Feed { get; set; } = null!;

    [Inject] protected TimeProvider TimeProvider { get; set; } = null!;

    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    /// <summary>The request while the page is rendered for it (prerendering); null once interactive.</summary>
    [CascadingParameter] private HttpContext? HttpContext { get; set; }

    /// <summary>The page is being rendered for its document, before its circuit runs it: what a person does to it now would be lost.</summary>
    protected bool Prerendering => HttpContext is not null;

    /// <summary>The viewer's role: "operator" or "viewer".</summary>
    protected string Role { get; private set; } = Roles.Viewer;

    protected bool IsOperator => Role == Roles.Operator;

    /// <summary>The changes that make this part read the feed again.</summary>
    protected virtual DashboardChange Shows => DashboardChange.Topology;

    /// <summary>Reads what this part shows from the feed.</summary>
    protected abstract void Load();

    protected override async Task OnInitializedAsync()
    {
        if (AuthenticationState is not null)
            Role = (await AuthenticationState).User.IsInRole(Roles.Operator) ? Roles.Operator : Roles.Viewer;
        Load();
        Feed.Changed += OnChanged;
    }

    private void OnChanged(DashboardChange change)
    {
        if ((change & Shows) == 0) return;
        _ = InvokeAsync(() =>
        {
            Load();
            StateHasChanged();
        });
    }

    [Inject] protected NavigationManager Navigation { get; set; } = null!;
    [Inject] private NotFoundReason NotFoundReason { get; set; } = null!;

    /// <summary>The HTTP status of the page's document (403 for a viewer on an operator's page); no effect once interactive.</summary>
    protected void RespondWith(int status)
    {
        if (HttpContext is { Response.HasStarted: false } http) http.Response.StatusCode = status;
    }

    /// <summary>
    /// While the document is rendered: answers 404 with the not-found page saying <paramref name="message"/>.
    /// Once interactive the page shows its own not-found part.
    /// </summary>
    protected void NotFound(string message)
    {
        if (HttpContext is null) return;
        NotFoundReason.Message = message;
        Navigation.NotFound();
    }

    public virtual void Dispose()
    {
        Feed.Changed -= OnChanged;
        GC.SuppressFinalize(this);
    }
}
