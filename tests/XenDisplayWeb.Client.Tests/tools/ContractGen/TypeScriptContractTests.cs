using System.Reflection;
using System.Text.RegularExpressions;
using XenDisplayWeb.Client.Contract;
using XenDisplayWeb.Client.Tools.ContractGen;

namespace XenDisplayWeb.Client.Tests.Tools.ContractGen;

/// <summary>
/// The contract's TypeScript, generated in-process from the Client's own types as the build's ContractGen does, and
/// the file the build wrote: the scripts' types cannot fall out of step with the C#.
/// </summary>
public sealed partial class TypeScriptContractTests
{
    private static readonly Assembly Client = typeof(IDashboardClient).Assembly;
    private static readonly string Generated = TypeScriptContract.Generate(Client);

    [Fact]
    public void ConnectorStats_carries_the_viewers()
    {
        var stats = Members("ConnectorStats");
        Assert.Equal(new Member("number", Optional: false), stats["viewers"]);
        Assert.Equal(new Member("CodecCounts", Optional: false), stats["codecs"]);
    }

    [Fact]
    public void A_frame_is_tiles_or_a_video_chunk_with_raw_or_base64_bytes()
    {
        var frame = Members("FrameMessage");
        Assert.Equal(new Member("FrameRect[]", Optional: false), frame["rects"]);
        Assert.Equal(new Member("VideoChunk | null", Optional: false), frame["video"]);
        Assert.Equal(new Member("number", Optional: false), frame["serverTime"]);
        Assert.Equal(new Member("Uint8Array | string", Optional: false), Members("FrameRect")["data"]);
        Assert.Equal(new Member("Uint8Array | string", Optional: false), Members("VideoChunk")["data"]);
    }

    [Fact]
    public void Every_public_property_of_every_contract_and_model_record_is_a_member()
    {
        var records = Client.GetExportedTypes()
            .Where(t => t.Namespace is TypeScriptContract.ContractNamespace or TypeScriptContract.ModelsNamespace)
            .Where(t => !t.IsInterface && !(t.IsAbstract && t.IsSealed) && !typeof(Exception).IsAssignableFrom(t))
            .Where(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Length > 0)
            .ToList();
        Assert.Contains(typeof(FrameMessage), records);
        foreach (var type in records)
        {
            var members = Members(type.Name);
            foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                Assert.True(members.ContainsKey(TypeScriptContract.CamelCase(p.Name)), $"{type.Name}.{p.Name} is missing from its TypeScript");
            Assert.Equal(type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Length, members.Count);
        }
    }

    [Fact]
    public void Every_message_the_hub_sends_is_in_DashboardClientMessages_with_its_payload()
    {
        var messages = Members("DashboardClientMessages");
        Assert.Equal(typeof(IDashboardClient).GetMethods().Select(m => m.Name).Order(), messages.Keys.Order());
        Assert.Equal("FrameMessage", messages["Frame"].Type);
        Assert.Equal("DomainView[]", messages["Topology"].Type);
        Assert.Equal("TraceEntryView[]", messages["Trace"].Type);
        Assert.Equal("ConnectorStats[]", messages["Stats"].Type);
        Assert.Equal("BufferEvent", messages["Buffers"].Type);
    }

    [Fact]
    public void Every_hub_method_is_in_DashboardHubMethods_with_its_arguments_and_answer()
    {
        var methods = Members("DashboardHubMethods");
        Assert.Equal(typeof(IDashboardHub).GetMethods().Select(m => m.Name).Order(), methods.Keys.Order());
        foreach (var m in typeof(IDashboardHub).GetMethods())
        {
            var names = m.GetParameters().Select(p => $"{p.Name}:");
            Assert.All(names, n => Assert.Contains(n, methods[m.Name].Type));
        }
        Assert.Equal("(domId: number, index: number, options: WatchOptions) => WatchResult", methods["WatchWith"].Type);
        Assert.Equal("(domId: number, index: number, events: (InputEventSpec | null)[]) => InputAcceptedView", methods["SendInput"].Type);
        Assert.Equal("(domId: number, index: number, frameId: number) => void", methods["Ack"].Type);
    }

    [Fact]
    public void What_the_server_reads_may_leave_out_a_default_or_null_what_it_sends_always_carries()
    {
        var watch = Members("WatchOptions");
        Assert.Equal(new Member("number", Optional: true), watch["maxWidth"]);
        Assert.Equal(new Member("string[] | null", Optional: true), watch["videoCodecs"]);
        Assert.Equal(new Member("string | null", Optional: true), Members("InputEventSpec")["type"]);

        var domain = Members("DomainView");
        Assert.Equal(new Member("string | null", Optional: false), domain["misbehaving"]);
        Assert.Equal(new Member("ConnectorView[]", Optional: false), domain["connectors"]);
        Assert.Equal(new Member("number", Optional: false), Members("ConnectorView")["framesPerSecond"]);
        Assert.Equal(new Member("string", Optional: false), Members("TraceEntryView")["time"]);
        Assert.Equal(new Member("number | null", Optional: false), Members("TraceEntryView")["elapsedUs"]);
        Assert.Equal(new Member("Record<string, number>", Optional: false), Members("InputMap")["keys"]);
    }

    [Fact]
    public void The_build_wrote_this_contract()
    {
        string path = Path.Combine(RepositoryRoot(), "Client", "ts", "generated", "contract.ts");
        Assert.True(File.Exists(path), $"{path}: the Client's build writes it");
        Assert.Equal(WithoutDocs(Generated), WithoutDocs(File.ReadAllText(path)));
    }

    [Fact]
    public void No_script_declares_a_type_of_the_contract_by_hand()
    {
        var contract = Declared(Generated).ToHashSet();
        string scripts = Path.Combine(RepositoryRoot(), "Client", "ts");
        var copies = Directory.EnumerateFiles(scripts, "*.ts", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(scripts, f).StartsWith("generated", StringComparison.Ordinal))
            .SelectMany(f => Declared(File.ReadAllText(f)).Where(contract.Contains).Select(name => $"{Path.GetFileName(f)}: {name}"))
            .ToList();
        Assert.Empty(copies);
    }

    private sealed record Member(string Type, bool Optional);

    /// <summary>The members of the generated interface <paramref name="name"/>, by name.</summary>
    private static Dictionary<string, Member> Members(string name)
    {
        var block = Regex.Match(Generated, $@"^export interface {name} \{{\n(?<body>.*?)^\}}", RegexOptions.Multiline | RegexOptions.Singleline);
        Assert.True(block.Success, $"no interface {name} in the generated contract");
        return MemberLine().Matches(block.Groups["body"].Value)
            .ToDictionary(m => m.Groups["name"].Value, m => new Member(m.Groups["type"].Value, m.Groups["optional"].Success));
    }

    private static IEnumerable<string> Declared(string script) =>
        DeclarationLine().Matches(script).Select(m => m.Groups["name"].Value);

    private static string WithoutDocs(string script) =>
        string.Join('\n', script.Split('\n').Where(line => !line.TrimStart().StartsWith("/**", StringComparison.Ordinal)));

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "XenDisplayWeb.sln"))) return dir.FullName;
        throw new InvalidOperationException("XenDisplayWeb.sln is not above the test's folder");
    }

    [GeneratedRegex(@"^  (?<name>\w+)(?<optional>\?)?: (?<type>.+);$", RegexOptions.Multiline)]
    private static partial Regex MemberLine();

    [GeneratedRegex(@"^\s*(?:export\s+)?(?:interface|type|class|enum)\s+(?<name>\w+)", RegexOptions.Multiline)]
    private static partial Regex DeclarationLine();
}
