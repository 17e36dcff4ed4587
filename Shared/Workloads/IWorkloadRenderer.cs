using XenDisplayWeb.Shared.Workloads.Input;

namespace XenDisplayWeb.Shared.Workloads;

/// <summary>
/// Draws one synthetic guest workload, frame by frame, into XRGB8888 buffers.
/// One instance per connector; not thread-safe.
/// </summary>
public interface IWorkloadRenderer
{
    /// <summary>The workload name as accepted by <see cref="WorkloadRenderers.Create"/>.</summary>
    string Name { get; }

    /// <summary>As <see cref="Render(in FrameTarget, uint, long, uint)"/> with no input consumed (row 2 of the strip reads 0).</summary>
    void Render(in FrameTarget target, uint frameSeq, long timeMs);

    /// <summary>
    /// Draws the complete picture for <paramref name="frameSeq"/> into <paramref name="target"/> and stamps the
    /// <see cref="MeasurementStrip"/> with <paramref name="frameSeq"/>, the low 32 bits of <paramref name="timeMs"/> and
    /// <paramref name="inputSeqLow32"/>. The result depends on the frame number and the input applied so far, not on
    /// what the buffer held before; renderers may repaint only what changed since they last drew into the same buffer.
    /// </summary>
    /// <param name="target">The buffer; its size must be the one the renderer was created for.</param>
    /// <param name="frameSeq">Frame number, counting from 0 per connector.</param>
    /// <param name="timeMs">The guest's flip-time clock, Unix milliseconds.</param>
    /// <param name="inputSeqLow32">The low 32 bits of the seq of the last input event consumed before this frame (0 before any).</param>
    void Render(in FrameTarget target, uint frameSeq, long timeMs, uint inputSeqLow32);

    /// <summary>Takes in the input the compositor drained for the next frame. Workloads that ignore input do nothing.</summary>
    void Apply(in InputFrame input) { }

    /// <summary>Forgets what was drawn into which buffer, so the next frame in each buffer is a full repaint.
    /// Call it when someone else has written into the buffers.</summary>
    void Invalidate() { }
}
