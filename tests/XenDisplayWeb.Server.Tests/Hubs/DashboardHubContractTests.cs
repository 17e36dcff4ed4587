using System.Reflection;
using Microsoft.AspNetCore.SignalR;
using XenDisplayWeb.Client.Contract;
using XenDisplayWeb.Server.Hubs;

namespace XenDisplayWeb.Server.Tests.Hubs;

/// <summary>What a page may call on the hub is IDashboardHub, the contract its TypeScript is generated from: nothing more.</summary>
public class DashboardHubContractTests
{
    [Fact]
    public void Every_method_a_page_can_call_is_in_IDashboardHub()
    {
        // SignalR lets a client call every public instance method the hub declares, overrides of Hub's aside.
        var callable = typeof(DashboardHub).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => !m.IsSpecialName && m.GetBaseDefinition().DeclaringType == typeof(DashboardHub))
            .Select(Signature);
        Assert.Equal(typeof(IDashboardHub).GetMethods().Select(Signature).Order(), callable.Order());
        Assert.True(typeof(Hub<IDashboardClient>).IsAssignableFrom(typeof(DashboardHub)));
    }

    private static string Signature(MethodInfo m) =>
        $"{m.ReturnType.Name} {m.Name}({string.Join(", ", m.GetParameters().Select(p => $"{p.ParameterType.Name} {p.Name}"))})";
}
