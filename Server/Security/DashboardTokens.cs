using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace XenDisplayWeb.Server.Security;

/// <summary>
/// The two tokens in force: from settings, or random ones made at start. Presented tokens are compared
/// in constant time (over SHA-256 digests, so neither the length nor the content leaks through timing).
/// </summary>
public sealed class DashboardTokens
{
    private readonly byte[] _operatorDigest, _viewerDigest;

    public DashboardTokens(IOptions<SecurityOptions> options)
    {
        var o = options.Value;
        OperatorGenerated = string.IsNullOrEmpty(o.OperatorToken);
        ViewerGenerated = string.IsNullOrEmpty(o.ViewerToken);
        Operator = OperatorGenerated ? NewToken() : o.OperatorToken!;
        Viewer = ViewerGenerated ? NewToken() : o.ViewerToken!;
        _operatorDigest = Digest(Operator);
        _viewerDigest = Digest(Viewer);
    }

    /// <summary>Only for the start-up log line; never log it anywhere else.</summary>
    internal string Operator { get; }
    internal string Viewer { get; }
    public bool OperatorGenerated { get; }
    public bool ViewerGenerated { get; }

    /// <summary>The role a presented token grants, or null.</summary>
    public string? RoleOf(string? presented)
    {
        if (string.IsNullOrEmpty(presented) || presented.Length > 1024) return null;
        var digest = Digest(presented);
        bool op = CryptographicOperations.FixedTimeEquals(digest, _operatorDigest);
        bool viewer = CryptographicOperations.FixedTimeEquals(digest, _viewerDigest);
        return op ? DashboardRoles.Operator : viewer ? DashboardRoles.Viewer : null;
    }

    /// <summary>A fingerprint of the role's current token, kept in the cookie to tell a stale cookie.</summary>
    public string FingerprintOf(string role) =>
        Convert.ToHexString(role == DashboardRoles.Operator ? _operatorDigest : _viewerDigest, 0, 8);

    private static byte[] Digest(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    private static string NewToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24));
}
