using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.TestHost;

namespace XenDisplayWeb.Server.Tests.Hubs;

/// <summary>
/// Speaks SignalR's JSON hub protocol over a WebSocket to the test server, as the browser does (the
/// SignalR .NET client is not available here): handshake, invocations with completions, and the
/// server's invocations queued for the test to read.
/// </summary>
public sealed class HubTestClient : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';
    private readonly WebSocket _socket;
    private readonly Channel<JsonObject> _invocations = Channel.CreateUnbounded<JsonObject>();
    private readonly Dictionary<string, TaskCompletionSource<JsonNode?>> _pending = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;
    private int _nextId;

    private readonly StringBuilder _received;

    private HubTestClient(WebSocket socket, StringBuilder received)
    {
        _socket = socket;
        _received = received;
        _reader = Task.Run(ReadLoopAsync);
    }

    /// <summary>Why the server closed the connection, if it did (a close message's "error").</summary>
    public string? CloseError { get; private set; }

    public static async Task<HubTestClient> ConnectAsync(TestServer server, string? token, CancellationToken ct = default)
    {
        var ws = server.CreateWebSocketClient();
        if (token is not null) ws.ConfigureRequest = r => r.Headers.Authorization = $"Bearer {token}";
        var socket = await ws.ConnectAsync(new Uri(server.BaseAddress, "hubs/dashboard"), ct);
        await SendRawAsync(socket, """{"protocol":"json","version":1}""", ct);
        var received = new StringBuilder(); // the handshake reply can share a frame with the first messages
        var handshake = await ReceiveRecordAsync(socket, received, ct);
        if (handshake is null || JsonNode.Parse(handshake)?["error"] is { } error)
            throw new InvalidOperationException($"hub handshake failed: {handshake}");
        return new HubTestClient(socket, received);
    }

    /// <summary>Invokes a hub method and returns its result; a hub error throws with the server's message.</summary>
    public async Task<JsonNode?> InvokeAsync(string target, params object?[] arguments)
    {
        string id = Interlocked.Increment(ref _nextId).ToString();
        var tcs = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_pending) _pending[id] = tcs;
        var message = new JsonObject
        {
            ["type"] = 1, ["invocationId"] = id, ["target"] = target,
            ["arguments"] = JsonSerializer.SerializeToNode(arguments),
        };
        await SendRawAsync(_socket, message.ToJsonString(), _stop.Token);
        return await tcs.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Sends an invocation without waiting for a result (as <c>connection.send</c> does).</summary>
    public Task SendAsync(string target, params object?[] arguments) =>
        SendRawAsync(_socket, new JsonObject { ["type"] = 1, ["target"] = target, ["arguments"] = JsonSerializer.SerializeToNode(arguments) }.ToJsonString(), _stop.Token);

    /// <summary>The next message the server invoked on us with <paramref name="target"/> (others are skipped); its arguments.</summary>
    public async Task<JsonArray> NextAsync(string target, TimeSpan? timeout = null, Func<JsonArray, bool>? where = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            JsonObject message;
            try { message = await _invocations.Reader.ReadAsync(cts.Token); }
            catch (OperationCanceledException) { throw new TimeoutException($"no '{target}' from the hub within {timeout ?? TimeSpan.FromSeconds(30)}"); }
            catch (ChannelClosedException) { throw new InvalidOperationException($"the hub closed the connection before '{target}' ({CloseError})"); }
            if ((string?)message["target"] != target) continue;
            var args = message["arguments"]!.AsArray();
            if (where is null || where(args)) return args;
        }
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (await ReceiveRecordAsync(_socket, _received, _stop.Token) is { } record)
            {
                var message = JsonNode.Parse(record)!.AsObject();
                switch ((int)message["type"]!)
                {
                    case 1: _invocations.Writer.TryWrite(message); break;
                    case 3:
                        TaskCompletionSource<JsonNode?>? tcs;
                        lock (_pending) _pending.Remove((string)message["invocationId"]!, out tcs);
                        if (message["error"] is { } error) tcs?.TrySetException(new InvalidOperationException((string?)error));
                        else tcs?.TrySetResult(message["result"]?.DeepClone());
                        break;
                    case 7: CloseError = (string?)message["error"]; return;
                }
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested || _socket.State != WebSocketState.Open) { }
        finally
        {
            _invocations.Writer.TryComplete();
            lock (_pending) foreach (var p in _pending.Values) p.TrySetException(new InvalidOperationException("the hub connection closed"));
        }
    }

    private static Task SendRawAsync(WebSocket socket, string json, CancellationToken ct) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(json + RecordSeparator), WebSocketMessageType.Text, true, ct);

    /// <summary>The next record (up to the record separator), reading more frames as needed; null when closed.</summary>
    private static async Task<string?> ReceiveRecordAsync(WebSocket socket, StringBuilder buffer, CancellationToken ct)
    {
        var chunk = new byte[64 * 1024];
        while (true)
        {
            string text = buffer.ToString();
            int end = text.IndexOf(RecordSeparator);
            if (end >= 0)
            {
                buffer.Remove(0, end + 1);
                return text[..end];
            }
            var result = await socket.ReceiveAsync(chunk, ct);
            if (result.MessageType == WebSocketMessageType.Close) return null;
            buffer.Append(Encoding.UTF8.GetString(chunk, 0, result.Count));
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try { await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None); } catch (Exception) { }
        try { await _reader; } catch (Exception) { }
        _socket.Dispose();
    }
}
