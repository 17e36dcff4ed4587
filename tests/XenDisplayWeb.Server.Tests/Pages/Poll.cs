namespace XenDisplayWeb.Server.Tests.Pages;

/// <summary>
/// The one way these tests wait for what the server does on its own time: ask again until the answer is the one
/// needed; past the deadline, fail with what was awaited and the last answer (never return as if it came).
/// </summary>
internal static class Poll
{
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? timeout = null, string? what = null)
    {
        var wait = timeout ?? TimeSpan.FromSeconds(20);
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"timed out after {wait.TotalSeconds} s waiting for {what ?? "the condition"}; last answer: {Describe(value)}");
            await Task.Delay(50);
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds.</summary>
    public static Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null) =>
        UntilAsync(condition, holds => holds, timeout, what);

    private static string Describe<T>(T value) => value switch
    {
        System.Text.Json.Nodes.JsonNode node => node.ToJsonString(),
        null => "null",
        _ => value.ToString() ?? "",
    };
}
