using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace XenDisplayWeb.LoadTest;

/// <summary>
/// A viewer as the browser is one, minus the drawing: SignalR's JSON protocol over a WebSocket, watches
/// one connector and acknowledges every frame as soon as it has read it.
/// </summary>
internal sealed class Viewer(Uri hub, int domId, int index) : IAsyncDisposable
{
    private const byte RecordSeparator = 0x1e;
    private readonly ClientWebSocket _socket = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private long _frames, _bytes, _errors;

    public long Frames => Interlocked.Read(ref _frames);
    public long Bytes => Interlocked.Read(ref _bytes);
    public long Errors => Interlocked.Read(ref _errors);
    public string? LastError { get; private set; }

    public async Task StartAsync()
    {
        await _socket.ConnectAsync(hub, _stop.Token);
        await SendAsync("""{"protocol":"json","version":1}""");
        await SendAsync($$"""{"type":1,"invocationId":"watch","target":"Watch","arguments":[{{domId}},{{index}}]}""");
        _loop = Task.Run(ReceiveLoopAsync);
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[1 << 20];
        var record = new MemoryStream();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var result = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close) { Fail("the server closed the connection"); return; }
                int start = 0;
                for (int i = 0; i < result.Count; i++)
                {
                    if (buffer[i] != RecordSeparator) continue;
                    record.Write(buffer, start, i - start);
                    await OnRecordAsync(record.GetBuffer().AsMemory(0, (int)record.Length));
                    record.SetLength(0);
                    start = i + 1;
                }
                record.Write(buffer, start, result.Count - start);
            }
        }
        catch (OperationCanceledException) { }
        catch (Exception e) when (!_stop.IsCancellationRequested) { Fail(e.Message); }
    }

    private async Task OnRecordAsync(ReadOnlyMemory<byte> json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        if (root.TryGetProperty("error", out var error)) { Fail(error.ToString()); return; }
        int type = root.TryGetProperty("type", out var t) ? t.GetInt32() : 0;
        if (type == 3 && root.TryGetProperty("error", out var invocationError)) Fail(invocationError.ToString());
        if (type != 1 || root.GetProperty("target").GetString() != "Frame") return;
        var frame = root.GetProperty("arguments")[0];
        long id = frame.GetProperty("id").GetInt64();
        Interlocked.Increment(ref _frames);
        Interlocked.Add(ref _bytes, json.Length);
        await SendAsync($$"""{"type":1,"target":"Ack","arguments":[{{domId}},{{index}},{{id}}]}""");
    }

    private void Fail(string message)
    {
        Interlocked.Increment(ref _errors);
        LastError = message;
    }

    private readonly SemaphoreSlim _send = new(1, 1);

    private async Task SendAsync(string json)
    {
        await _send.WaitAsync(_stop.Token);
        try { await _socket.SendAsync(Encoding.UTF8.GetBytes(json + (char)RecordSeparator), WebSocketMessageType.Text, true, _stop.Token); }
        finally { _send.Release(); }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        if (_loop is not null) await _loop;
        _socket.Dispose();
    }
}
