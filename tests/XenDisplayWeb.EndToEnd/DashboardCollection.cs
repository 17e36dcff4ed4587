namespace XenDisplayWeb.EndToEnd;

/// <summary>One server and one browser for every end-to-end test class; the classes run one after another.</summary>
[CollectionDefinition(nameof(DashboardCollection))]
public sealed class DashboardCollection : ICollectionFixture<DashboardServer>;
