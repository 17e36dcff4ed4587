namespace XenDisplayWeb.Server.Tests.Pages;

/// <summary>Asks again until the demo guests have got where a test needs them, or gives up with the last answer.</summary>
internal static class Poll
{
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline) return value;
            await Task.Delay(50);
        }
    }
}
