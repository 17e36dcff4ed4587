namespace XenDisplayWeb.Server.Tests.Pages;

/// <summary>The page and read-API tests share one server: they only read, and one host starts faster than two.</summary>
[CollectionDefinition(Name)]
public sealed class PagesCollection : ICollectionFixture<DashboardFactory>
{
    public const string Name = "pages";
}
