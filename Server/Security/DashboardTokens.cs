using System.Buffers.Text;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace XenDisplayWeb.Server.Security;

/// <summary>
/// The two tokens in force: from settings, or random ones made at start. A changed Security:OperatorToken or
/// Security:ViewerToken in configuration takes effect at once (checked as at start-up; an invalid change is
/// logged and the tokens in force stay); an emptied one keeps the token in force. Presented tokens are compared
/// in constant time (over SHA-256 digests, so neither the length nor the content leaks through timing).
/// </summary>
public sealed class DashboardTokens : IDisposable
{
    private readonly IOptionsFactory<SecurityOptions>? _factory;
    private readonly ILogger _logger;
    private readonly List<IDisposable> _subscriptions = [];
    private readonly Lock _applying = new();
    private volatile TokenSet _set;

    /// <summary>Tokens fixed for the life of the object (tests, tools).</summary>
    public DashboardTokens(IOptions<SecurityOptions> options)
    {
        _logger = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        _set = TokenSet.Initial(options.Value);
    }

    /// <summary>
    /// Tokens that follow configuration: the same change tokens and factory (binding, then validation) as
    /// <see cref="IOptionsMonitor{TOptions}"/>, so that a change failing validation can be logged and ignored.
    /// </summary>
    public DashboardTokens(IOptions<SecurityOptions> options, IOptionsFactory<SecurityOptions> factory,
        IEnumerable<IOptionsChangeTokenSource<SecurityOptions>> sources, ILogger<DashboardTokens> logger)
    {
        _factory = factory;
        _logger = logger;
        _set = TokenSet.Initial(options.Value);
        foreach (var source in sources.Where(s => s.Name == Options.DefaultName))
            _subscriptions.Add(ChangeToken.OnChange(source.GetChangeToken, Reload));
    }

    /// <summary>Raised after a rotation with the roles whose token changed.</summary>
    public event Action<IReadOnlyList<string>>? Rotated;

    /// <summary>Only for the start-up log line; never log it anywhere else.</summary>
    internal string Operator => _set.Operator;
    internal string Viewer => _set.Viewer;
    public bool OperatorGenerated => _set.OperatorGenerated;
    public bool ViewerGenerated => _set.ViewerGenerated;

    /// <summary>The role a presented token grants, or null.</summary>
    public string? RoleOf(string? presented)
    {
        if (string.IsNullOrEmpty(presented) || presented.Length > 1024) return null;
        var set = _set;
        var digest = Digest(presented);
        bool op = CryptographicOperations.FixedTimeEquals(digest, set.OperatorDigest);
        bool viewer = CryptographicOperations.FixedTimeEquals(digest, set.ViewerDigest);
        return op ? DashboardRoles.Operator : viewer ? DashboardRoles.Viewer : null;
    }

    /// <summary>A fingerprint of the role's current token, kept in the cookie to tell a stale cookie.</summary>
    public string FingerprintOf(string role) => _set.FingerprintOf(role);

    /// <summary>Whether a user's role was granted by the token now in force for it (false for a rotated token or no role).</summary>
    public bool IsCurrent(ClaimsPrincipal? user)
    {
        var role = user?.FindFirstValue(ClaimTypes.Role);
        return role is DashboardRoles.Viewer or DashboardRoles.Operator
            && user!.FindFirstValue(DashboardRoles.TokenClaim) == FingerprintOf(role);
    }

    private void Reload()
    {
        SecurityOptions changed;
        try
        {
            changed = _factory!.Create(Options.DefaultName);
        }
        catch (OptionsValidationException e)
        {
            _logger.LogWarning("Changed security settings refused, the tokens in force stay: {Failures}", string.Join("; ", e.Failures));
            return;
        }
        List<string> rotated;
        lock (_applying)
        {
            var old = _set;
            var next = old.With(changed);
            if (next is null)
            {
                _logger.LogWarning("Changed security settings refused, the tokens in force stay: the operator's and the viewer's token must differ");
                return;
            }
            rotated = [.. new[] { DashboardRoles.Operator, DashboardRoles.Viewer }.Where(r => old.FingerprintOf(r) != next.FingerprintOf(r))];
            if (rotated.Count == 0) return;
            _set = next;
        }
        _logger.LogInformation("Dashboard token rotated for {Roles}", rotated);
        Rotated?.Invoke(rotated);
    }

    public void Dispose()
    {
        foreach (var s in _subscriptions) s.Dispose();
    }

    private static byte[] Digest(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    private static string NewToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24));

    /// <summary>One consistent pair of tokens and their digests, swapped whole on a rotation.</summary>
    private sealed class TokenSet(string op, string viewer, bool opGenerated, bool viewerGenerated)
    {
        public string Operator { get; } = op;
        public string Viewer { get; } = viewer;
        public bool OperatorGenerated { get; } = opGenerated;
        public bool ViewerGenerated { get; } = viewerGenerated;
        public byte[] OperatorDigest { get; } = Digest(op);
        public byte[] ViewerDigest { get; } = Digest(viewer);

        public static TokenSet Initial(SecurityOptions o) => new(
            string.IsNullOrEmpty(o.OperatorToken) ? NewToken() : o.OperatorToken,
            string.IsNullOrEmpty(o.ViewerToken) ? NewToken() : o.ViewerToken,
            string.IsNullOrEmpty(o.OperatorToken), string.IsNullOrEmpty(o.ViewerToken));

        /// <summary>The configured tokens in place of these (an empty setting keeps the token in force); null if the two would be equal.</summary>
        public TokenSet? With(SecurityOptions o)
        {
            bool opSet = !string.IsNullOrEmpty(o.OperatorToken), viewerSet = !string.IsNullOrEmpty(o.ViewerToken);
            var next = new TokenSet(opSet ? o.OperatorToken! : Operator, viewerSet ? o.ViewerToken! : Viewer,
                !opSet && OperatorGenerated, !viewerSet && ViewerGenerated);
            return next.Operator == next.Viewer ? null : next;
        }

        public string FingerprintOf(string role) =>
            Convert.ToHexString(role == DashboardRoles.Operator ? OperatorDigest : ViewerDigest, 0, 8);
    }
}
