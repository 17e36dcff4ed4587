namespace XenDisplayWeb.Client.Models;

/// <summary>The dashboard's two roles; an operator can do everything a viewer can, and use the controls.</summary>
public static class Roles
{
    public const string Viewer = "viewer";
    public const string Operator = "operator";
}
