using System.Security.Claims;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using XenDisplayWeb.Client.Contract;
using XenDisplayWeb.Client.Models;
using XenDisplayWeb.Server.Events;
using XenDisplayWeb.Server.Hubs;
using XenDisplayWeb.Server.Streaming;

namespace XenDisplayWeb.Server.Tests.Hubs;

/// <summary>One queue per connection: a connection that does not read holds up nobody and holds a bounded backlog.</summary>
public class HubOutboxTests
{
    private readonly FakeClients _clients = new();
    private readonly HubConnections _connections = new();
    private readonly HubOutbox _outbox;
    private readonly Dictionary<string, FakeCallerContext> _contexts = [];

    public HubOutboxTests()
    {
        _outbox = new HubOutbox(new FakeHubContext(_clients), _connections,
            Options.Create(new StreamingOptions { MaxQueuedFrames = 2, MaxQueuedMessages = 16 }), NullLogger<HubOutbox>.Instance);
        foreach (var id in new[] { "good", "stuck" })
        {
            _connections.OnConnected(_contexts[id] = new FakeCallerContext(id));
            _connections.Subscribe(id, "trace");
        }
        _clients.Stuck.Add("stuck");
    }

    private static FrameMessage Frame(long id) => new(1, 0, id, 0, id, 64, 64, false, 0, []);

    [Fact]
    public void A_connection_that_does_not_read_delays_no_other_and_is_offered_no_frames_past_its_queue()
    {
        for (int i = 1; i <= 5; i++)
        {
            _outbox.SendFrame("good", Frame(i));
            _outbox.SendFrame("stuck", Frame(i));
            _outbox.Publish("trace", c => c.Trace([]));
        }
        Assert.Equal(10, _clients.Delivered("good"));   // five frames and five trace batches, none waiting on "stuck"
        Assert.True(_outbox.CanSend("good"));
        Assert.False(_outbox.CanSend("stuck"));
        Assert.Equal(10, _outbox.Pending("stuck"));
    }

    [Fact]
    public void A_connection_past_its_bound_is_closed_and_its_backlog_stops_growing()
    {
        var stuck = _contexts["stuck"];
        for (int i = 0; i < 100; i++) _outbox.Publish("trace", c => c.Trace([]));
        Assert.True(stuck.Aborted);
        Assert.Equal(16, _outbox.Pending("stuck"));
        Assert.Equal(100, _clients.Delivered("good"));
    }

    [Fact]
    public async Task When_a_stuck_connection_takes_its_messages_streams_hear_it_may_have_frames_again()
    {
        var drained = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _outbox.Drained += id => drained.TrySetResult(id);
        _outbox.SendFrame("stuck", Frame(1));
        _outbox.SendFrame("stuck", Frame(2));
        Assert.False(_outbox.CanSend("stuck"));
        _clients.Release("stuck");
        Assert.Equal("stuck", await drained.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(_outbox.CanSend("stuck"));
    }

    private sealed class FakeCallerContext(string id) : HubCallerContext
    {
        public bool Aborted { get; private set; }
        public override string ConnectionId { get; } = id;
        public override string? UserIdentifier => null;
        public override ClaimsPrincipal? User => null;
        public override IDictionary<object, object?> Items { get; } = new Dictionary<object, object?>();
        public override IFeatureCollection Features { get; } = new FeatureCollection();
        public override CancellationToken ConnectionAborted => CancellationToken.None;
        public override void Abort() => Aborted = true;
    }

    /// <summary>Clients whose sends complete at once, except for stuck connections', which wait until released.</summary>
    private sealed class FakeClients : IHubClients<IDashboardClient>
    {
        private readonly Dictionary<string, int> _delivered = [];
        private readonly Dictionary<string, TaskCompletionSource> _gates = [];
        public HashSet<string> Stuck { get; } = [];

        public int Delivered(string id) { lock (_delivered) return _delivered.GetValueOrDefault(id); }

        public void Release(string id)
        {
            TaskCompletionSource? gate;
            lock (_gates) { Stuck.Remove(id); _gates.Remove(id, out gate); }
            gate?.TrySetResult();
        }

        private Task Send(string id)
        {
            lock (_gates)
                if (Stuck.Contains(id))
                {
                    if (!_gates.TryGetValue(id, out var gate)) _gates[id] = gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    return gate.Task;
                }
            lock (_delivered) _delivered[id] = _delivered.GetValueOrDefault(id) + 1;
            return Task.CompletedTask;
        }

        public IDashboardClient Client(string connectionId) => new Client(() => Send(connectionId));
        public IDashboardClient All => throw new NotSupportedException();
        public IDashboardClient AllExcept(IReadOnlyList<string> excludedConnectionIds) => throw new NotSupportedException();
        public IDashboardClient Clients(IReadOnlyList<string> connectionIds) => throw new NotSupportedException();
        public IDashboardClient Group(string groupName) => throw new NotSupportedException();
        public IDashboardClient GroupExcept(string groupName, IReadOnlyList<string> excludedConnectionIds) => throw new NotSupportedException();
        public IDashboardClient Groups(IReadOnlyList<string> groupNames) => throw new NotSupportedException();
        public IDashboardClient User(string userId) => throw new NotSupportedException();
        public IDashboardClient Users(IReadOnlyList<string> userIds) => throw new NotSupportedException();
    }

    private sealed class Client(Func<Task> send) : IDashboardClient
    {
        public Task Frame(FrameMessage frame) => send();
        public Task Blank(BlankMessage blank) => send();
        public Task Topology(IReadOnlyList<DomainView> domains) => send();
        public Task Trace(IReadOnlyList<TraceEntryView> entries) => send();
        public Task Buffers(BufferEvent change) => send();
        public Task Stats(IReadOnlyList<ConnectorStats> stats) => send();
    }

    private sealed class FakeHubContext(IHubClients<IDashboardClient> clients) : IHubContext<DashboardHub, IDashboardClient>
    {
        public IHubClients<IDashboardClient> Clients { get; } = clients;
        public IGroupManager Groups => throw new NotSupportedException();
    }
}
