namespace Teleport.Orleans.Ssh.Connection;

/// <summary>
/// Opcodes of the encoded terminal modes in "pty-req" (RFC 4254 §8, IUTF8 from RFC 8160), named as the POSIX
/// termios settings they stand for so a handler can apply them with tcsetattr. Each carries a uint32 argument:
/// a control character for the V* opcodes, 0 or 1 for flags, a baud rate for the speeds.
/// </summary>
#pragma warning disable CA1707 // POSIX names are the point.
public enum SshTerminalMode : byte
{
    VINTR = 1,
    VQUIT = 2,
    VERASE = 3,
    VKILL = 4,
    VEOF = 5,
    VEOL = 6,
    VEOL2 = 7,
    VSTART = 8,
    VSTOP = 9,
    VSUSP = 10,
    VDSUSP = 11,
    VREPRINT = 12,
    VWERASE = 13,
    VLNEXT = 14,
    VFLUSH = 15,
    VSWTCH = 16,
    VSTATUS = 17,
    VDISCARD = 18,
    IGNPAR = 30,
    PARMRK = 31,
    INPCK = 32,
    ISTRIP = 33,
    INLCR = 34,
    IGNCR = 35,
    ICRNL = 36,
    IUCLC = 37,
    IXON = 38,
    IXANY = 39,
    IXOFF = 40,
    IMAXBEL = 41,
    IUTF8 = 42,
    ISIG = 50,
    ICANON = 51,
    XCASE = 52,
    ECHO = 53,
    ECHOE = 54,
    ECHOK = 55,
    ECHONL = 56,
    NOFLSH = 57,
    TOSTOP = 58,
    IEXTEN = 59,
    ECHOCTL = 60,
    ECHOKE = 61,
    PENDIN = 62,
    OPOST = 70,
    OLCUC = 71,
    ONLCR = 72,
    OCRNL = 73,
    ONOCR = 74,
    ONLRET = 75,
    CS7 = 90,
    CS8 = 91,
    PARENB = 92,
    PARODD = 93,

    /// <summary>TTY_OP_ISPEED: input baud rate.</summary>
    InputSpeed = 128,

    /// <summary>TTY_OP_OSPEED: output baud rate.</summary>
    OutputSpeed = 129,
}
#pragma warning restore CA1707
