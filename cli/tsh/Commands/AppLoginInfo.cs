namespace Teleport.Orleans.Cli.Tsh.Commands;

/// <summary>
/// What <c>tsh apps login</c> keeps beside an app's certificate (<c>APP.json</c>): the app's address and the app session,
/// which logout ends. Stored as <c>{"Url":"...","SessionId":"..."}</c> (<see cref="AppLoginInfoJsonContext"/>).
/// </summary>
internal sealed record AppLoginInfo(string Url, string SessionId);
