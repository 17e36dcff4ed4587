using Microsoft.Extensions.Options;
using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Host;
using XenDisplayWeb.Shared.Workloads;
using XenDisplayWeb.Shared.Xen;

namespace XenDisplayWeb.Server;

/// <summary>The guests the embedded simulated host starts with ("Demo" in appsettings.json).</summary>
public sealed class DemoOptions
{
    public List<DemoGuest> Guests { get; set; } = [];

    /// <summary>The last domain id the host hands out to guests made at run time before ids wrap to 1 (Xen's, by default).</summary>
    public int MaxDomId { get; set; } = DomId.MaxGuest;
}

public sealed class DemoGuest
{
    public int DomId { get; set; }
    public string Name { get; set; } = "";
    public bool BeAlloc { get; set; }

    /// <summary>"ring" (the Xen request ring, default) or "ctb": the guest carries its requests over a GVT-g style CTB page.</summary>
    public RequestTransport Transport { get; set; } = RequestTransport.Ring;

    /// <summary>Whether the backend shows this guest's frames from its pages in place (true) or from a copy; switchable at run time.</summary>
    public bool ZeroCopy { get; set; } = true;
    public List<DemoConnector> Connectors { get; set; } = [];
}

public sealed class DemoConnector
{
    public int Width { get; set; }
    public int Height { get; set; }
    public string UniqueId { get; set; } = "";
    public string Workload { get; set; } = "testpattern";
    public double FramesPerSecond { get; set; } = 60;
}

/// <summary>The frontend timeouts ("Timeouts"), as Linux's xen-front has them by default.</summary>
public sealed class TimeoutOptions
{
    public int RequestMs { get; set; } = 3000;
    public int FrameDoneMs { get; set; } = 3100;
}

/// <summary>Checks the demo configuration at start-up and says exactly what is wrong.</summary>
public sealed class DemoOptionsValidator : IValidateOptions<DemoOptions>, IValidateOptions<TimeoutOptions>
{
    public ValidateOptionsResult Validate(string? name, DemoOptions o)
    {
        var errors = new List<string>();
        if (o.MaxDomId is < 1 or > DomId.MaxGuest) errors.Add($"Demo:MaxDomId must be 1..{DomId.MaxGuest}, not {o.MaxDomId}");
        var seen = new HashSet<int>();
        for (int g = 0; g < o.Guests.Count; g++)
        {
            var guest = o.Guests[g];
            string at = $"Demo:Guests:{g}";
            if (guest.DomId is < 1 or > DomId.MaxGuest) errors.Add($"{at}:DomId must be 1..{DomId.MaxGuest} (0 is the backend's domain), not {guest.DomId}");
            if (!seen.Add(guest.DomId)) errors.Add($"{at}:DomId {guest.DomId} is used twice");
            if (string.IsNullOrWhiteSpace(guest.Name)) errors.Add($"{at}:Name is empty");
            if (guest.Connectors.Count is 0 or > Displif.MaxConnectors) errors.Add($"{at}:Connectors must list 1 to {Displif.MaxConnectors} connectors");
            for (int c = 0; c < guest.Connectors.Count; c++)
            {
                var conn = guest.Connectors[c];
                string cat = $"{at}:Connectors:{c}";
                if (Displif.ModeProblem(conn.Width, conn.Height) is var (side, mode)) errors.Add($"{cat}:{Setting(side)} {mode}");
                if (GuestSpecLimits.WorkloadProblem(conn.Workload) is { } workload) errors.Add($"{cat}:Workload {workload}");
                if (GuestSpecLimits.FramesPerSecondProblem(conn.FramesPerSecond) is { } fps) errors.Add($"{cat}:FramesPerSecond {fps} (0: as fast as frame-done allows)");
                if (GuestSpecLimits.UniqueIdProblem(conn.UniqueId) is { } uniqueId) errors.Add($"{cat}:UniqueId {uniqueId}");
            }
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public ValidateOptionsResult Validate(string? name, TimeoutOptions o)
    {
        var errors = new List<string>();
        if (ControlLimits.TimeoutMsProblem(o.RequestMs) is { } request) errors.Add($"Timeouts:RequestMs {request}");
        if (ControlLimits.TimeoutMsProblem(o.FrameDoneMs) is { } frameDone) errors.Add($"Timeouts:FrameDoneMs {frameDone}");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>A connector's field as appsettings spells it ("width" -> "Width").</summary>
    private static string Setting(string field) => char.ToUpperInvariant(field[0]) + field[1..];
}
