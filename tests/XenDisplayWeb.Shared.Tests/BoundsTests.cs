namespace XenDisplayWeb.Shared.Tests;

public class BoundsTests
{
    [Theory]
    [InlineData(0.0, null)]
    [InlineData(1000.0, null)]
    [InlineData(-0.5, "must be 0..1000, not -0.5")]
    [InlineData(1000.5, "must be 0..1000, not 1000.5")]
    [InlineData(double.NaN, "must be 0..1000, not NaN")]
    public void A_value_is_within_its_range_or_told_the_range(double value, string? rule) =>
        Assert.Equal(rule, Bounds.Rule(value, 0, 1000));

    [Fact]
    public void An_absent_value_is_a_problem_only_when_required()
    {
        Assert.Equal("is required (0..1000)", Bounds.Rule(null, 0, 1000));
        Assert.Null(Bounds.Rule(null, 0, 1000, required: false));
    }
}
