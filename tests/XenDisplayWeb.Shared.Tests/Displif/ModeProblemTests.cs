using D = XenDisplayWeb.Shared.Displif.Displif;

namespace XenDisplayWeb.Shared.Tests.Displif;

/// <summary>The one check of a connector's mode (the API, the forms, the settings, the console and XenStore use it).</summary>
public class ModeProblemTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(4095, 1)]
    [InlineData(1, 2047)]
    [InlineData(4095, 2047)]
    public void A_mode_within_the_limits_has_no_problem(int width, int height)
    {
        Assert.Null(D.ModeProblem(width, height));
        Assert.True(D.ResolutionFits(width, height));
    }

    [Theory]
    [InlineData(0, 1, "width", "must be 1..4095, not 0")]
    [InlineData(4096, 1, "width", "must be 1..4095, not 4096")]
    [InlineData(-1, 1, "width", "must be 1..4095, not -1")]
    [InlineData(1, 0, "height", "must be 1..2047, not 0")]
    [InlineData(1, 2048, "height", "must be 1..2047, not 2048")]
    [InlineData(0, 0, "width", "must be 1..4095, not 0")]
    public void A_side_outside_the_limits_is_named_with_its_rule(int width, int height, string field, string rule)
    {
        Assert.Equal((field, rule), D.ModeProblem(width, height));
        Assert.False(D.ResolutionFits(width, height));
    }

    [Fact]
    public void A_missing_side_is_required()
    {
        Assert.Equal(("width", "is required (1..4095)"), D.ModeProblem(null, 480));
        Assert.Equal(("height", "is required (1..2047)"), D.ModeProblem(640, null));
    }

    [Fact]
    public void The_dbuf_size_bound_is_a_buffers_not_a_modes_and_lies_above_every_mode()
    {
        Assert.True(D.MaxBufferDimension > D.MaxWidth);
        Assert.True(D.MaxBufferDimension > D.MaxHeight);
    }
}
