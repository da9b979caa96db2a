using System.Reflection;
using Xunit.v3;

namespace AppHost.Tests.Scaled;

/// <summary>
/// Marks a test that changes a shared fleet for the tests after it (e.g. kills a replica, whose callers' connections then
/// all land on the survivor): <see cref="RunsLastOrderer"/> runs it after the others of its class.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RunsLastAttribute : Attribute;

/// <summary>
/// xunit's default order (stable for one assembly path, different in another clone), with the tests marked
/// <see cref="RunsLastAttribute"/> moved to the end.
/// </summary>
public sealed class RunsLastOrderer : ITestCaseOrderer
{
    public IReadOnlyCollection<TTestCase> OrderTestCases<TTestCase>(IReadOnlyCollection<TTestCase> testCases)
        where TTestCase : notnull, Xunit.Sdk.ITestCase =>
        [.. DefaultTestCaseOrderer.Instance.OrderTestCases(testCases).OrderBy(RunsLast)];

    private static bool RunsLast<TTestCase>(TTestCase testCase) where TTestCase : notnull, Xunit.Sdk.ITestCase =>
        testCase is IXunitTestCase { TestMethod.Method: var method } && method.IsDefined(typeof(RunsLastAttribute));
}
