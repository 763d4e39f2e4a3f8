namespace SupplyOracle.Reporter.Supply;

/// <summary>Why a token is left out of a round's observation (docs/protocol.md section 4: fail closed, never guess).</summary>
public enum SupplySkipReason
{
    /// <summary>The token address has no code at <c>B_r</c> (<c>totalSupply()</c> returned no data).</summary>
    NoCode,

    /// <summary>The excluded balances exceed the total supply.</summary>
    NegativeCirculating,

    /// <summary>Circulating supply is zero, so no factor can be computed (section 4 step 4).</summary>
    ZeroCirculating,

    /// <summary>The free-float factor rounds to zero (section 4 step 4).</summary>
    ZeroFactor,

    /// <summary>The configured RPC endpoints returned different figures for the token.</summary>
    EndpointsDisagree,

    /// <summary>Too few RPC endpoints answered.</summary>
    RpcUnavailable,

    /// <summary>A read for the token reverted or returned data that does not decode.</summary>
    ReadFailed,

    /// <summary>Every free-float source of the token failed.</summary>
    SourceFailed,

    /// <summary>The token has no free-float source configured.</summary>
    NoSource,
}
