namespace Cairn.Engine.Plan;

/// <summary>How an argument's value is read.</summary>
internal enum ArgumentKind
{
    /// <summary><c>--name=value</c>: the value is required.</summary>
    Value,

    /// <summary><c>--name</c> alone, or <c>=true</c> / <c>=false</c>; any other value is a usage error naming the switch.</summary>
    Switch,

    /// <summary><c>--name</c> alone (or <c>=true</c> / <c>=false</c>) for everything, or <c>--name=A,B</c> for some.</summary>
    SwitchOrList,

    /// <summary><c>--name=value</c>, given any number of times; each is one value.</summary>
    Repeatable,
}
