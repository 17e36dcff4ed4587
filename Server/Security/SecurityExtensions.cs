using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using XenDisplayWeb.Server.Hubs;

namespace XenDisplayWeb.Server.Security;

/// <summary>Wires access control: tokens, the role cookie, the two policies, CSP, request limits, the rate limits per client.</summary>
public static class SecurityExtensions
{
    public const string ApiRateLimit = "api";

    public static IServiceCollection AddDashboardSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SecurityOptions>().Bind(configuration.GetSection(SecurityOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SecurityOptions>, SecurityOptionsValidator>();
        services.AddSingleton(sp => new DashboardTokens(sp.GetRequiredService<IOptions<SecurityOptions>>(),
            sp.GetRequiredService<IOptionsFactory<SecurityOptions>>(), sp.GetServices<IOptionsChangeTokenSource<SecurityOptions>>(),
            sp.GetRequiredService<ILogger<DashboardTokens>>()));

        services.AddSingleton<TokenSessions>();
        services.AddSingleton<TokenHubFilter>();
        services.AddScoped<CircuitHandler, TokenCircuitHandler>();
        services.AddSignalR().AddHubOptions<DashboardHub>(o => o.AddFilter<TokenHubFilter>());

        services.AddAuthentication(DashboardRoles.Scheme)
            .AddPolicyScheme(DashboardRoles.Scheme, "Bearer token or role cookie", o =>
            {
                o.ForwardDefaultSelector = context =>
                    TokenAuthenticationHandler.PresentedToken(context.Request) is not null ? DashboardRoles.TokenScheme : DashboardRoles.CookieScheme;
                o.ForwardChallenge = DashboardRoles.TokenScheme;
                o.ForwardForbid = DashboardRoles.TokenScheme;
            })
            .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(DashboardRoles.TokenScheme, null)
            .AddCookie(DashboardRoles.CookieScheme, o =>
            {
                o.Cookie.Name = DashboardRoles.CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromHours(12);
                o.SlidingExpiration = true;
                o.Events.OnValidatePrincipal = ValidateCookieAsync;
            });

        services.AddAuthorizationBuilder()
            .AddPolicy(DashboardRoles.ViewerPolicy, p => p.RequireRole(DashboardRoles.Viewer, DashboardRoles.Operator))
            .AddPolicy(DashboardRoles.OperatorPolicy, p => p.RequireRole(DashboardRoles.Operator))
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireRole(DashboardRoles.Viewer, DashboardRoles.Operator).Build());

        services.AddAntiforgery();

        services.AddOptions<KestrelServerOptions>().Configure<IOptions<SecurityOptions>>((kestrel, security) =>
        {
            kestrel.Limits.MaxRequestBodySize = security.Value.MaxRequestBodyBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            kestrel.Limits.MaxRequestHeaderCount = 64;
            kestrel.Limits.MaxRequestLineSize = 8 * 1024;
        });

        services.AddSingleton<FailedAuthentications>();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.CreateChained(ApiLimiter(), ExpensiveRateLimiter(), ExpensiveConcurrencyLimiter());
            o.OnRejected = (ctx, _) =>
            {
                ctx.HttpContext.Response.Headers.RetryAfter = "1";
                return new ValueTask(AccessResponses.WriteProblemAsync(ctx.HttpContext, "Too many requests",
                    ClientPartition.IsExpensive(ctx.HttpContext.Request)
                        ? "Pictures and the trace export take at most Security:ExpensiveRequestsPerSecond requests a second and " +
                          "Security:ExpensiveConcurrentRequests at once per client, within Security:ApiRequestsPerSecond; try again in a moment."
                        : "The API takes at most Security:ApiRequestsPerSecond requests a second per client; try again in a moment."));
            };
        });
        return services;
    }

    private static SecurityOptions Settings(HttpContext context) => context.RequestServices.GetRequiredService<IOptions<SecurityOptions>>().Value;

    /// <summary>Every /api request, per client (see <see cref="ClientPartition"/>).</summary>
    private static PartitionedRateLimiter<HttpContext> ApiLimiter() => PartitionedRateLimiter.Create<HttpContext, string>(context =>
    {
        if (!context.Request.Path.StartsWithSegments("/api")) return RateLimitPartition.GetNoLimiter("");
        int perSecond = Settings(context).ApiRequestsPerSecond;
        return RateLimitPartition.GetTokenBucketLimiter(ClientPartition.Of(context), _ => PerSecond(perSecond));
    });

    private static PartitionedRateLimiter<HttpContext> ExpensiveRateLimiter() => PartitionedRateLimiter.Create<HttpContext, string>(context =>
    {
        if (!ClientPartition.IsExpensive(context.Request)) return RateLimitPartition.GetNoLimiter("");
        int perSecond = Settings(context).ExpensiveRequestsPerSecond;
        return RateLimitPartition.GetTokenBucketLimiter(ClientPartition.Of(context), _ => PerSecond(perSecond));
    });

    private static PartitionedRateLimiter<HttpContext> ExpensiveConcurrencyLimiter() => PartitionedRateLimiter.Create<HttpContext, string>(context =>
    {
        if (!ClientPartition.IsExpensive(context.Request)) return RateLimitPartition.GetNoLimiter("");
        int atOnce = Settings(context).ExpensiveConcurrentRequests;
        return RateLimitPartition.GetConcurrencyLimiter(ClientPartition.Of(context), _ => new ConcurrencyLimiterOptions { PermitLimit = atOnce, QueueLimit = 0 });
    });

    private static TokenBucketRateLimiterOptions PerSecond(int perSecond) => new()
    {
        TokenLimit = perSecond,
        TokensPerPeriod = perSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    /// <summary>A cookie made under another token (changed settings, a restart with random tokens) no longer counts.</summary>
    private static async Task ValidateCookieAsync(CookieValidatePrincipalContext context)
    {
        var tokens = context.HttpContext.RequestServices.GetRequiredService<DashboardTokens>();
        if (!tokens.IsCurrent(context.Principal))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(DashboardRoles.CookieScheme);
        }
    }

    /// <summary>CSP on every response, the failed-authentication limit, then authentication, the ?token= exchange, authorization, rate limits, the control and hub origin guards, antiforgery.</summary>
    public static WebApplication UseDashboardSecurity(this WebApplication app)
    {
        app.Services.GetRequiredService<TokenSessions>();
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseMiddleware<FailedAuthenticationGuard>();
        app.UseAuthentication();
        app.UseMiddleware<TokenExchangeMiddleware>();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseMiddleware<ControlRequestGuard>();
        app.UseMiddleware<HubOriginGuard>();
        app.UseAntiforgery();
        return app;
    }

    /// <summary>Logs, once the server listens, the URLs that open the dashboard as an operator and as a viewer.</summary>
    public static WebApplication LogDashboardUrls(this WebApplication app)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var tokens = app.Services.GetRequiredService<DashboardTokens>();
            foreach (var url in app.Urls)
            {
                string baseUrl = url.TrimEnd('/');
                app.Logger.LogInformation("Dashboard for operators: {Url}/?token={Token}", baseUrl, tokens.Operator);
                app.Logger.LogInformation("Dashboard for viewers: {Url}/?token={Token}", baseUrl, tokens.Viewer);
            }
            if (tokens.OperatorGenerated || tokens.ViewerGenerated)
                app.Logger.LogInformation("Random tokens were made for this run; set Security__OperatorToken and Security__ViewerToken to keep them");
        });
        return app;
    }
}
