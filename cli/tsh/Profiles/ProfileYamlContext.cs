using YamlDotNet.Serialization;

namespace Teleport.Orleans.Cli.Tsh.Profiles;

/// <summary>
/// What YamlDotNet needs to know of <see cref="Profile"/>, generated at build time (the rest of this class), so
/// profiles are read and written without reflection, as Native AOT requires. Public because the generator declares
/// its part public.
/// </summary>
[YamlStaticContext]
[YamlSerializable(typeof(Profile))]
public sealed partial class ProfileYamlContext : StaticContext;
