using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace XenDisplayWeb.Client.Tools.ContractGen;

/// <summary>The C# doc comments of the contract (the compiler's XML documentation file), as one line of plain text each.</summary>
public sealed partial class XmlDocs
{
    public static readonly XmlDocs Empty = new([]);

    private readonly Dictionary<string, XElement> _members;

    private XmlDocs(Dictionary<string, XElement> members) => _members = members;

    /// <summary>The documentation file at <paramref name="path"/>, or none if there is no such file.</summary>
    public static XmlDocs Load(string path)
    {
        if (!File.Exists(path)) return Empty;
        var members = XDocument.Load(path).Descendants("member")
            .Where(m => m.Attribute("name") is not null)
            .GroupBy(m => m.Attribute("name")!.Value)
            .ToDictionary(g => g.Key, g => g.First());
        return new XmlDocs(members);
    }

    public string? Summary(Type type) => Text(Find($"T:{Name(type)}")?.Element("summary"));

    /// <summary>A property's summary, or the record's &lt;param&gt; of the same name.</summary>
    public string? Member(Type type, string name) =>
        Text(Find($"P:{Name(type)}.{name}")?.Element("summary"))
        ?? Text(Find($"T:{Name(type)}")?.Elements("param").FirstOrDefault(p => p.Attribute("name")?.Value == name));

    public string? Method(Type type, string name)
    {
        string prefix = $"M:{Name(type)}.{name}";
        var member = _members.FirstOrDefault(m => m.Key == prefix || m.Key.StartsWith(prefix + "(", StringComparison.Ordinal)).Value;
        return Text(member?.Element("summary"));
    }

    private XElement? Find(string name) => _members.GetValueOrDefault(name);

    private static string Name(Type type) => type.FullName!.Replace('+', '.');

    /// <summary>&lt;c&gt;x&lt;/c&gt; and &lt;paramref name="x"/&gt; as x, &lt;see cref="T:A.B"/&gt; as B, on one line.</summary>
    private static string? Text(XElement? element)
    {
        if (element is null) return null;
        var text = string.Concat(element.Nodes().Select(Plain));
        text = Spaces().Replace(text, " ").Trim();
        return text.Length == 0 ? null : text;
    }

    private static string Plain(XNode node) => node switch
    {
        XText t => t.Value,
        XElement { Name.LocalName: "see" or "seealso" } e when e.Attribute("cref") is { } cref => ShortName(cref.Value),
        XElement e when e.Attribute("name") is { } name && e.IsEmpty => name.Value,
        XElement e when e.Attribute("langword") is { } word => word.Value,
        XElement e => string.Concat(e.Nodes().Select(Plain)),
        _ => "",
    };

    /// <summary>"M:A.B.C(System.Int32)" as C.</summary>
    private static string ShortName(string cref)
    {
        int paren = cref.IndexOf('(');
        string name = paren < 0 ? cref : cref[..paren];
        return name[(name.LastIndexOf('.') + 1)..];
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
