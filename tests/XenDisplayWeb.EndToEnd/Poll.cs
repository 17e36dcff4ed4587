namespace XenDisplayWeb.EndToEnd;

/// <summary>Waits for something a person would see, with a deadline; never a fixed sleep.</summary>
public static class Poll
{
    public static async Task UntilAsync(Func<Task<bool>> condition, string failure, int timeoutMs = 20_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{failure} (waited {timeoutMs} ms)");
            await Task.Delay(100);
        }
    }
}
