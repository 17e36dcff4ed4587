namespace XenDisplayWeb.Client.Services;

/// <summary>What a page could not find, said by the not-found page it hands over to (one per request or circuit).</summary>
public sealed class NotFoundReason
{
    public string? Message { get; set; }
}
