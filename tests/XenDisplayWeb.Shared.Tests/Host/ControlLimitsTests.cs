using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Host;

namespace XenDisplayWeb.Shared.Tests.Host;

public class ControlLimitsTests
{
    [Theory]
    [InlineData(1, null)]
    [InlineData(600_000, null)]
    [InlineData(0, "must be 1..600000, not 0")]
    [InlineData(600_001, "must be 1..600000, not 600001")]
    public void A_timeout_is_1_to_600000_ms(int ms, string? rule) => Assert.Equal(rule, ControlLimits.TimeoutMsProblem(ms));

    [Fact]
    public void An_absent_timeout_or_fault_keeps_its_value()
    {
        Assert.Null(ControlLimits.TimeoutMsProblem(null));
        Assert.Null(ControlLimits.ResponseDelayMsProblem(null));
        Assert.Null(ControlLimits.DropResponsesProblem(null));
        Assert.Null(ControlLimits.DropFrameDoneProblem(null));
    }

    [Theory]
    [InlineData(-1, null)]
    [InlineData(100_000, null)]
    [InlineData(-2, "must be -1..100000, not -2")]
    [InlineData(100_001, "must be -1..100000, not 100001")]
    public void Frame_done_drops_are_minus_1_for_all_up_to_the_fault_count(int count, string? rule) =>
        Assert.Equal(rule, ControlLimits.DropFrameDoneProblem(count));

    [Theory]
    [InlineData(0, null)]
    [InlineData(60_000, null)]
    [InlineData(-1, "must be 0..60000, not -1")]
    [InlineData(60_001, "must be 0..60000, not 60001")]
    public void A_response_delay_is_0_to_60000_ms(int ms, string? rule) => Assert.Equal(rule, ControlLimits.ResponseDelayMsProblem(ms));

    [Fact]
    public void A_failure_needs_a_count_and_a_negative_errno()
    {
        Assert.Null(ControlLimits.FailCountProblem(0));
        Assert.Equal("is required (0..100000)", ControlLimits.FailCountProblem(null));
        Assert.Equal("must be 0..100000, not -1", ControlLimits.FailCountProblem(-1));
        Assert.Null(ControlLimits.FailStatusProblem(-1));
        Assert.Null(ControlLimits.FailStatusProblem(-4095));
        Assert.Equal("must be -4095..-1, not 0", ControlLimits.FailStatusProblem(0));
        Assert.Equal("must be -4095..-1, not -4096", ControlLimits.FailStatusProblem(-4096));
        Assert.Equal("is required (-4095..-1)", ControlLimits.FailStatusProblem(null));
    }

    [Fact]
    public void A_failure_names_its_operation_by_the_headers_name_in_any_case()
    {
        Assert.Null(ControlLimits.FailOperationProblem("pg_flip", out var op));
        Assert.Equal(XendisplOp.PgFlip, op);
        Assert.Contains("DBUF_CREATE", ControlLimits.FailOperations);
        Assert.StartsWith("must be one of DBUF_CREATE", ControlLimits.FailOperationProblem("FLIP", out _));
        Assert.NotNull(ControlLimits.FailOperationProblem(null, out _));
    }
}
