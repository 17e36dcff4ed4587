namespace XenDisplayWeb.Shared.Workloads;

/// <summary>
/// Draws one synthetic guest workload, frame by frame, into XRGB8888 buffers.
/// One instance per connector; not thread-safe.
/// </summary>
public interface IWorkloadRenderer
{
    /// <summary>The workload name as accepted by <see cref="WorkloadRenderers.Create"/>.</summary>
    string Name { get; }

    /// <summary>
    /// Draws the complete picture for <paramref name="frameSeq"/> into <paramref name="target"/> and stamps the
    /// <see cref="MeasurementStrip"/> with <paramref name="frameSeq"/> and the low 32 bits of <paramref name="timeMs"/>.
    /// The result does not depend on what the buffer held before; renderers may repaint only what changed
    /// since they last drew into the same buffer.
    /// </summary>
    /// <param name="target">The buffer; its size must be the one the renderer was created for.</param>
    /// <param name="frameSeq">Frame number, counting from 0 per connector.</param>
    /// <param name="timeMs">The guest's flip-time clock, Unix milliseconds.</param>
    void Render(in FrameTarget target, uint frameSeq, long timeMs);

    /// <summary>Forgets what was drawn into which buffer, so the next frame in each buffer is a full repaint.
    /// Call it when someone else has written into the buffers.</summary>
    void Invalidate() { }
}
