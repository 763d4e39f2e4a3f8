# supplyoracle-anvil: a local chain node (Foundry's anvil, the binary pinned in deploy/package.json) for machines that
# cannot pull the Foundry image the compose file names. Build with the binary's directory as the context:
#   deploy/install-tools.sh
#   docker build -f deploy/docker/anvil.Dockerfile -t supplyoracle-anvil deploy/node_modules/@foundry-rs/anvil-linux-amd64/bin
# BASE_IMAGE: any glibc Linux image with bash (deploy/docker/bases.sh makes one offline).
ARG BASE_IMAGE=debian:bookworm-slim
FROM ${BASE_IMAGE}
COPY anvil /usr/local/bin/anvil
EXPOSE 8545
# No root: state lives in memory.
USER nobody
HEALTHCHECK --interval=5s --timeout=3s --start-period=10s --retries=5 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8545 && printf 'POST / HTTP/1.1\\r\\nHost: localhost\\r\\nContent-Type: application/json\\r\\nContent-Length: 47\\r\\nConnection: close\\r\\n\\r\\n{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\"}' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["anvil"]
CMD ["--host", "0.0.0.0", "--port", "8545"]
