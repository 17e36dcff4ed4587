using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using XenDisplayWeb.Client.Components;
using XenDisplayWeb.Server;
using XenDisplayWeb.Server.Console;
using XenDisplayWeb.Server.Hubs;
using XenDisplayWeb.Server.Views;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddOptions<DemoOptions>().Bind(builder.Configuration.GetSection("Demo")).ValidateOnStart();
builder.Services.AddOptions<TimeoutOptions>().Bind(builder.Configuration.GetSection("Timeouts")).ValidateOnStart();
builder.Services.AddSingleton<IValidateOptions<DemoOptions>, DemoOptionsValidator>();
builder.Services.AddSingleton<IValidateOptions<TimeoutOptions>, DemoOptionsValidator>();
builder.Services.AddSingleton<SimulatedHostService>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<SimulatedHostService>());
builder.Services.AddProblemDetails();
builder.Services.AddRazorComponents();
builder.Services.AddSignalR();
builder.Services.AddSingleton<HubConnections>();
builder.Services.AddGuestConsole();

var app = builder.Build();

app.MapGet("/healthz", (SimulatedHostService host) =>
    host.System is { Backend.IsRunning: true } ? Results.Ok("ok") : Results.Problem("the simulated host is not running", statusCode: 503));

app.MapGet("/api/domains", (SimulatedHostService host) => Results.Ok(DashboardViews.Domains(host.System)));

app.MapGet("/", (SimulatedHostService host) => new RazorComponentResult<Overview>(new
{
    Domains = DashboardViews.Domains(host.System),
    BackendState = host.System?.Backend.IsRunning == true ? "running" : "stopped",
}));

app.MapHub<DashboardHub>(DashboardHub.Path);
app.MapGuestConsole();

app.Lifetime.ApplicationStarted.Register(() =>
{
    foreach (var url in app.Urls) app.Logger.LogInformation("Dashboard: {Url}/", url.TrimEnd('/'));
});

app.Run();

public partial class Program;
