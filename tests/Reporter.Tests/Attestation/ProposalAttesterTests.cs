using Google.Protobuf;
using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Protocol.Deployment;
using SupplyOracle.Protocol.Signing;
using SupplyOracle.Protocol.State;
using SupplyOracle.Protocol.V1;
using SupplyOracle.Reporter.Attestation;
using SupplyOracle.Reporter.Health;
using SupplyOracle.Reporter.Telemetry;
using SupplyOracle.Reporter.Tests.Support;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Reporter.Tests.Attestation;

public sealed class ProposalAttesterTests : IAsyncLifetime
{
    private AnvilNode _node = null!;

    public async Task InitializeAsync() => _node = await AnvilNode.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task AnswerAsync_ReferenceBlockReorganisedAfterObserving_RefusesNotCanonical()
    {
        var chain = await SupplyChain.DeployAsync(_node);
        var key = PrivateKey.Parse(AnvilNode.DevAccounts[7].PrivateKey);
        var oracle = await chain.DeployOracleAsync([key.Address], roundBlocks: 10);
        var deployment = new OracleDeployment(31337, oracle.Address, chain.Registry.Address);
        var head = await chain.Client.BlockNumberAsync();
        var round = head / 10 + 1;
        await _node.MineAsync(round * 10 - head + 3);
        var observed = (await chain.Client.GetBlockAsync(BlockId.AtNumber(round * 10)))!;
        var proposal = new Proposal
        {
            ProposalId = "p-reorg",
            StateBlock = round * 10 + 3,
            Report = new Report { Round = round, ReferenceBlock = observed.Number, ReferenceTime = observed.Timestamp, ReferenceHash = ByteString.CopyFrom(observed.Hash.ToArray()) },
        };
        using var telemetry = new ReporterTelemetry();
        var attester = new ProposalAttester(deployment, chain.Client, new OracleStateReader(chain.Client, deployment), new PrivateKeySigner(key),
            new ReporterStatus(), telemetry);
        var before = await attester.AnswerAsync(proposal, default);

        await _node.ReorgAsync(5); // B_r is now a different block
        var after = await attester.AnswerAsync(proposal, default);

        Assert.NotEqual(RejectReason.NotCanonical, before.ProposalVerdict.Reason);
        Assert.False(after.ProposalVerdict.Accepted);
        Assert.Equal(RejectReason.NotCanonical, after.ProposalVerdict.Reason);
    }
}
