using System.Reflection;
using System.Reflection.Emit;
using System.Text;
using Cairn.Hashing;
using Cairn.Stages;

namespace Cairn.Engine.Model;

/// <summary>
/// The version of a stage's code: a hash of its compiled IL, with every metadata token replaced by the
/// name it stands for. Tokens are renumbered when another type in the same assembly changes, names are not,
/// so editing one stage re-runs that stage only. The walk covers the stage type, its nested types (lambdas,
/// iterators, async state machines) and its base types in the same assembly; <see cref="StageVersionAttribute"/>
/// covers what it cannot see.
/// </summary>
internal static class CodeVersion
{
    private const BindingFlags Declared = BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;

    private static readonly OpCode[] OneByte = new OpCode[256];
    private static readonly OpCode[] TwoByte = new OpCode[256];

#pragma warning disable CA1810 // The opcode tables are filled from reflection once; a static constructor states that plainly.
    static CodeVersion()
#pragma warning restore CA1810
    {
        foreach (var field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            if (field.GetValue(null) is OpCode code)
            {
                var value = (ushort)code.Value;
                if (value < 0x100)
                {
                    OneByte[value] = code;
                }
                else if ((value & 0xFF00) == 0xFE00)
                {
                    TwoByte[value & 0xFF] = code;
                }
            }
        }
    }

    /// <summary>The stage's code version, from the machine's cache when it was worked out before (<see cref="CodeVersionCache"/>).</summary>
    public static string Of(Type stageType) => CodeVersionCache.Of(stageType, Compute);

    /// <summary>Works the stage's code version out from its IL.</summary>
    internal static string Compute(Type stageType)
    {
        var text = new StringBuilder();
        var explicitVersion = stageType.GetCustomAttribute<StageVersionAttribute>()?.Version;
        text.Append("version ").Append(explicitVersion ?? "-").Append('\n');

        var types = new List<Type>();
        for (var type = stageType; type is not null && type.Assembly == stageType.Assembly; type = type.BaseType)
        {
            Collect(type, types);
        }

        foreach (var type in types)
        {
            Describe(type, text);
        }

        return ContentHasher.HashString(text.ToString()).ToString();
    }

    private static void Collect(Type type, List<Type> into)
    {
        into.Add(type);
        foreach (var nested in type.GetNestedTypes(BindingFlags.Public | BindingFlags.NonPublic).OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            Collect(nested, into);
        }
    }

    private static void Describe(Type type, StringBuilder text)
    {
        text.Append("type ").Append(type.FullName).Append(" : ").Append(type.BaseType?.FullName).Append('\n');
        foreach (var field in type.GetFields(Declared).OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            text.Append("field ").Append(field.FieldType.FullName).Append(' ').Append(field.Name);
            if (field.IsLiteral)
            {
                text.Append(" = ").Append(field.GetRawConstantValue());
            }

            text.Append('\n');
        }

        foreach (var property in type.GetProperties(Declared).OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            text.Append("property ").Append(property.PropertyType.FullName).Append(' ').Append(property.Name);
            foreach (var attribute in property.GetCustomAttributesData().Select(a => a.ToString()).Order(StringComparer.Ordinal))
            {
                text.Append(' ').Append(attribute);
            }

            text.Append('\n');
        }

        var methods = type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared))
            .Select(m => (Method: m, Signature: m.ToString() ?? m.Name))
            .OrderBy(m => m.Signature, StringComparer.Ordinal);
        foreach (var (method, signature) in methods)
        {
            text.Append("method ").Append(signature).Append('\n');
            var body = method.GetMethodBody();
            if (body is null)
            {
                continue;
            }

            foreach (var local in body.LocalVariables)
            {
                text.Append("  local ").Append(local.LocalType.FullName ?? local.LocalType.Name).Append('\n');
            }

            foreach (var clause in body.ExceptionHandlingClauses)
            {
                text.Append("  clause ").Append(clause.Flags).Append(' ')
                    .Append(clause.TryOffset).Append('+').Append(clause.TryLength).Append(' ')
                    .Append(clause.HandlerOffset).Append('+').Append(clause.HandlerLength).Append(' ')
                    .Append(clause.Flags == ExceptionHandlingClauseOptions.Clause ? clause.CatchType?.FullName : null).Append('\n');
            }

            AppendIl(method, body.GetILAsByteArray() ?? [], text);
        }
    }

    private static void AppendIl(MethodBase method, byte[] il, StringBuilder text)
    {
        var module = method.Module;
        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var position = 0;
        while (position < il.Length)
        {
            OpCode code;
            if (il[position] == 0xFE && position + 1 < il.Length)
            {
                code = TwoByte[il[position + 1]];
                position += 2;
            }
            else
            {
                code = OneByte[il[position]];
                position += 1;
            }

            text.Append("  ").Append(code.Name);
            switch (code.OperandType)
            {
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    text.Append(' ').Append(il[position]);
                    position += 1;
                    break;
                case OperandType.InlineVar:
                    text.Append(' ').Append(BitConverter.ToUInt16(il, position));
                    position += 2;
                    break;
                case OperandType.InlineBrTarget or OperandType.InlineI or OperandType.ShortInlineR:
                    text.Append(' ').Append(BitConverter.ToInt32(il, position));
                    position += 4;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    text.Append(' ').Append(BitConverter.ToInt64(il, position));
                    position += 8;
                    break;
                case OperandType.InlineSwitch:
                    var count = BitConverter.ToInt32(il, position);
                    position += 4;
                    for (var i = 0; i < count; i++)
                    {
                        text.Append(' ').Append(BitConverter.ToInt32(il, position));
                        position += 4;
                    }

                    break;
                case OperandType.InlineString:
                    text.Append(" \"").Append(module.ResolveString(BitConverter.ToInt32(il, position))).Append('"');
                    position += 4;
                    break;
                case OperandType.InlineSig:
                    text.Append(" sig ").Append(Convert.ToHexString(module.ResolveSignature(BitConverter.ToInt32(il, position))));
                    position += 4;
                    break;
                default:
                    text.Append(' ').Append(ResolveMember(module, BitConverter.ToInt32(il, position), typeArguments, methodArguments));
                    position += 4;
                    break;
            }

            text.Append('\n');
        }
    }

    private static string ResolveMember(Module module, int token, Type[]? typeArguments, Type[]? methodArguments)
    {
        try
        {
            var member = module.ResolveMember(token, typeArguments, methodArguments);
            return member switch
            {
                null => "?",
                Type type => type.FullName ?? type.Name,
                _ => $"{member.DeclaringType?.FullName}::{member}",
            };
        }
        catch (ArgumentException)
        {
            // A generic context the walk does not have (e.g. a method of an open generic type); the token alone is stable enough there.
            return $"token {token:x8}";
        }
    }
}
