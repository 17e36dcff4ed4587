using XenDisplayWeb.Shared.Kbdif;

namespace XenDisplayWeb.Shared.Workloads.Input;

/// <summary>
/// An input event as the guest's compositor consumes it: the kbdif in event and its <paramref name="Seq"/>, the
/// index in the vkbd device's in ring it was read at (the u32 <c>in_cons</c>, widened per connection). The backend
/// hands out the same numbers, so the strip's row 2 names the event the picture answers.
/// </summary>
public readonly record struct GuestInputEvent(long Seq, IXenkbdInEvent Event);

/// <summary>Where a guest's compositor takes its input from: what a kbdfront implements.</summary>
public interface IGuestInput
{
    /// <summary>
    /// Moves up to <c>into.Length</c> events, oldest first, into <paramref name="into"/> and returns how many.
    /// Never blocks: 0 when nothing is waiting.
    /// </summary>
    int Drain(Span<GuestInputEvent> into);
}
