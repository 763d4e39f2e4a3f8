using k8s;
using k8s.Models;
using SupplyOracle.Deploy.Tests.Support;

namespace SupplyOracle.Deploy.Tests.Kubernetes;

/// <summary>
/// deploy/k8s against the Kubernetes object schema, offline: `kubectl apply --dry-run=client` needs an API server for
/// discovery even in client mode, and none runs here (issue 22). Every document is read strictly into the typed models
/// of KubernetesClient (generated from the Kubernetes OpenAPI specification): an unknown or misplaced field, a wrong
/// type or an unknown apiVersion/kind fails.
/// </summary>
public sealed class SchemaTests
{
    [Fact]
    public void Manifests_EveryDocument_ReadsStrictlyAsItsKubernetesKind()
    {
        var kinds = new List<string>();
        foreach (var file in Manifests.Files)
        {
            var objects = KubernetesYaml.LoadAllFromString(Repo.Read($"{Manifests.Directory}/{file}"), typeMap: null, strict: true);
            Assert.NotEmpty(objects);
            foreach (var o in objects)
            {
                var typed = Assert.IsAssignableFrom<IKubernetesObject<V1ObjectMeta>>(o);
                Assert.False(string.IsNullOrEmpty(typed.Metadata?.Name), $"{file}: a {typed.Kind} has no name");
                kinds.Add(typed.Kind);
            }
        }

        Assert.Equal(["ConfigMap", "Deployment", "Namespace", "PersistentVolumeClaim", "Secret", "Service"], kinds.Distinct().Order());
    }

    [Fact]
    public void Strict_UnknownField_Fails()
    {
        const string deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  replica: 2\n";
        Assert.ThrowsAny<Exception>(() => KubernetesYaml.LoadAllFromString(deployment, typeMap: null, strict: true));
    }
}
