namespace XenDisplayWeb.Client.Models;

/// <summary>
/// What an operator's connector page needs to capture input, from the server's one home of each
/// (Shared/Kbdif/LinuxInput and InputLimits, the vkbd backend's options): the page keeps no table of its own.
/// </summary>
/// <param name="Keys">KeyboardEvent.code to its Linux KEY_* code.</param>
/// <param name="Buttons">MouseEvent.button (0 main, 1 auxiliary, 2 secondary, 3 back, 4 forward) to its BTN_* code.</param>
/// <param name="Contacts">Touch contacts the vkbd device offers (ids 0..Contacts-1).</param>
/// <param name="MaxEvents">Events in one SendInput call, at most.</param>
public sealed record InputMap(IReadOnlyDictionary<string, int> Keys, IReadOnlyList<int> Buttons, int Contacts, int MaxEvents);
