namespace XenDisplayWeb.Shared.Tests;

public class SmokeTests
{
    [Fact]
    public void Dom0IsZero() => Assert.Equal(0, XenDisplayWeb.Shared.Xen.DomId.Dom0);
}
