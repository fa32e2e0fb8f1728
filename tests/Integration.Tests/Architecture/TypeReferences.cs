using System.Reflection;
using System.Reflection.Emit;

namespace Integration.Tests.Architecture;

/// <summary>
/// Every type a compiled type uses, as the compiler left it: base type and interfaces, attributes (with their
/// <c>typeof</c> arguments), fields, properties, events, signatures and locals of its methods, and each type, field and
/// method token in their IL (so a <c>new</c>, a call, a cast, a <c>typeof</c> or a generic argument inside a body
/// counts); nested types (closures, async state machines, lambdas) are its own. Generic types count with their
/// arguments, arrays and pointers by their element types.
/// </summary>
internal static class TypeReferences
{
    private const BindingFlags Declared = BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>True when <paramref name="type"/> is in <paramref name="ns"/> or a namespace below it.</summary>
    public static bool IsIn(this Type type, string ns) =>
        type.Namespace is { } name && (name == ns || name.StartsWith(ns + ".", StringComparison.Ordinal));

    public static IReadOnlySet<Type> Of(Type type)
    {
        var found = new HashSet<Type>();
        Collect(type, found);
        found.Remove(type);
        return found;
    }

    private static void Collect(Type type, HashSet<Type> found)
    {
        Add(type.BaseType, found);
        foreach (var contract in type.GetInterfaces())
        {
            Add(contract, found);
        }

        AddAttributes(type.CustomAttributes, found);
        foreach (var field in type.GetFields(Declared))
        {
            Add(field.FieldType, found);
            AddAttributes(field.CustomAttributes, found);
        }

        foreach (var property in type.GetProperties(Declared))
        {
            Add(property.PropertyType, found);
            AddAttributes(property.CustomAttributes, found);
        }

        foreach (var @event in type.GetEvents(Declared))
        {
            Add(@event.EventHandlerType, found);
        }

        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            AddMethod(method, found);
        }

        foreach (var nested in type.GetNestedTypes(Declared))
        {
            Add(nested, found);
            Collect(nested, found);
        }
    }

    private static void AddMethod(MethodBase method, HashSet<Type> found)
    {
        AddAttributes(method.CustomAttributes, found);
        if (method is MethodInfo info)
        {
            Add(info.ReturnType, found);
        }

        foreach (var parameter in method.GetParameters())
        {
            Add(parameter.ParameterType, found);
            AddAttributes(parameter.CustomAttributes, found);
        }

        if (method.GetMethodBody() is not { } body)
        {
            return;
        }

        foreach (var local in body.LocalVariables)
        {
            Add(local.LocalType, found);
        }

        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        foreach (var token in MemberTokens(body.GetILAsByteArray() ?? []))
        {
            switch (method.Module.ResolveMember(token, typeArguments, methodArguments))
            {
                case Type referenced:
                    Add(referenced, found);
                    break;
                case FieldInfo field:
                    Add(field.DeclaringType, found);
                    Add(field.FieldType, found);
                    break;
                case MethodBase called:
                    Add(called.DeclaringType, found);
                    if (called is MethodInfo { IsGenericMethod: true } generic)
                    {
                        foreach (var argument in generic.GetGenericArguments())
                        {
                            Add(argument, found);
                        }
                    }

                    break;
            }
        }
    }

    /// <summary>The metadata tokens of the type, field and method operands (and <c>ldtoken</c>'s) in an IL stream.</summary>
    private static IEnumerable<int> MemberTokens(byte[] il)
    {
        var at = 0;
        while (at < il.Length)
        {
            var value = il[at] == 0xFE ? (short)(0xFE00 | il[at + 1]) : il[at];
            at += il[at] == 0xFE ? 2 : 1;
            var opCode = OpCodesByValue.TryGetValue(value, out var known)
                ? known
                : throw new InvalidOperationException($"Unknown IL opcode 0x{value:X} at offset {at}.");
            switch (opCode.OperandType)
            {
                case OperandType.InlineType or OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok:
                    yield return BitConverter.ToInt32(il, at);
                    at += 4;
                    break;
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    at += 1;
                    break;
                case OperandType.InlineVar:
                    at += 2;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    at += 8;
                    break;
                case OperandType.InlineSwitch:
                    at += 4 + (4 * BitConverter.ToInt32(il, at));
                    break;
                default: // InlineBrTarget, InlineI, ShortInlineR, InlineString, InlineSig
                    at += 4;
                    break;
            }
        }
    }

    private static void AddAttributes(IEnumerable<CustomAttributeData> attributes, HashSet<Type> found)
    {
        foreach (var attribute in attributes)
        {
            Add(attribute.AttributeType, found);
            foreach (var argument in attribute.ConstructorArguments.Concat(attribute.NamedArguments.Select(a => a.TypedValue)))
            {
                if (argument.Value is Type referenced)
                {
                    Add(referenced, found);
                }
            }
        }
    }

    private static void Add(Type? type, HashSet<Type> found)
    {
        while (type is { HasElementType: true })
        {
            type = type.GetElementType();
        }

        if (type is null || type.IsGenericParameter)
        {
            return;
        }

        if (type.IsGenericType && !type.IsGenericTypeDefinition)
        {
            foreach (var argument in type.GetGenericArguments())
            {
                Add(argument, found);
            }

            type = type.GetGenericTypeDefinition();
        }

        found.Add(type);
    }
}
