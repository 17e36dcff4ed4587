using Microsoft.Extensions.Options;
using XenDisplayWeb.Server;
using XenDisplayWeb.Server.Api;
using XenDisplayWeb.Server.Events;
using XenDisplayWeb.Server.Console;
using XenDisplayWeb.Server.Hubs;
using XenDisplayWeb.Server.Pages;
using XenDisplayWeb.Server.Streaming;
using XenDisplayWeb.Server.Security;
using XenDisplayWeb.Server.Views;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
// The Client library's files (css, the esbuild bundle) come from its project folder after a build, in any environment.
builder.WebHost.UseStaticWebAssets();

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddOptions<DemoOptions>().Bind(builder.Configuration.GetSection("Demo")).ValidateOnStart();
builder.Services.AddOptions<TimeoutOptions>().Bind(builder.Configuration.GetSection("Timeouts")).ValidateOnStart();
builder.Services.AddSingleton<IValidateOptions<DemoOptions>, DemoOptionsValidator>();
builder.Services.AddSingleton<IValidateOptions<TimeoutOptions>, DemoOptionsValidator>();
builder.Services.AddOptions<BackendSettings>().Bind(builder.Configuration.GetSection("Backend")).ValidateOnStart();
builder.Services.AddSingleton<IValidateOptions<BackendSettings>, BackendSettingsValidator>();
builder.Services.AddSingleton<SimulatedHostService>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<SimulatedHostService>());
builder.Services.AddProblemDetails();
builder.Services.AddDashboardPages();
builder.Services.AddDashboardFeed();
builder.Services.AddDashboardHub();
builder.Services.AddFrameStreaming(builder.Configuration);
builder.Services.AddDashboardSecurity(builder.Configuration);
builder.Services.AddDashboardEvents();
builder.Services.AddOpenApi();
builder.Services.AddGuestConsole();
builder.Services.AddDashboardControls();

var app = builder.Build();

app.UseDashboardSecurity();

app.MapGet("/healthz", (SimulatedHostService host) =>
    host.System is { Backend.IsRunning: true } ? Results.Ok("ok") : Results.Problem("the simulated host is not running", statusCode: 503)).AllowAnonymous();

app.MapGet("/api/domains", (SimulatedHostService host) => Results.Ok(DashboardViews.Domains(host.System)));

app.MapStaticAssets().AllowAnonymous();
app.MapDashboardPages();
app.MapReadApi();

app.MapHub<DashboardHub>(DashboardHub.Path);
app.MapFrameEndpoints();
app.MapControlApi();
app.MapOpenApi();
app.MapGuestConsole();

app.LogDashboardUrls();

app.Run();

public partial class Program;
