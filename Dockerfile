# The teleport-orleans image the Kubernetes manifests in deploy/kubernetes run: teleport, tctl and tsh on the
# ASP.NET Core runtime, as a non-root user. Build from the repository root:
#   docker build -t teleport-orleans:0.1.0 .
# Auth and proxy run in it; the node service (ssh_service) starts login shells as other users and belongs on the
# hosts themselves (deploy/systemd), not in this image.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# Node.js builds the web UI (web/, bundled by esbuild into the gateway assembly).
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Restore first, from the project files alone, so a source change does not invalidate the package layer.
COPY Directory.Build.props Directory.Packages.props ./
COPY access/*.csproj access/
COPY agent/*.csproj agent/
COPY authclient/*.csproj authclient/
COPY backends/Core/*.csproj backends/Core/
COPY backends/Sqlite/*.csproj backends/Sqlite/
COPY backends/Postgres/*.csproj backends/Postgres/
COPY backends/Etcd/*.csproj backends/Etcd/
COPY backends/DynamoDb/*.csproj backends/DynamoDb/
COPY backends/Azure/*.csproj backends/Azure/
COPY backends/S3/*.csproj backends/S3/
COPY backends/Firestore/*.csproj backends/Firestore/
COPY backends/Gcs/*.csproj backends/Gcs/
COPY cli/Configuration/*.csproj cli/Configuration/
COPY cli/Terminal/*.csproj cli/Terminal/
COPY cli/teleport/*.csproj cli/teleport/
COPY cli/tctl/*.csproj cli/tctl/
COPY cli/tsh/*.csproj cli/tsh/
COPY contracts/*.csproj contracts/
COPY gateway/*.csproj gateway/
COPY grains/*.csproj grains/
COPY silo/*.csproj silo/
COPY ssh/*.csproj ssh/
COPY unix/*.csproj unix/
RUN dotnet restore cli/teleport/teleport.csproj \
 && dotnet restore cli/tctl/tctl.csproj \
 && dotnet restore cli/tsh/tsh.csproj
COPY . .
RUN dotnet publish cli/teleport/teleport.csproj -c Release --no-restore -o /out/teleport \
 && dotnet publish cli/tctl/tctl.csproj -c Release --no-restore -o /out/tctl \
 && dotnet publish cli/tsh/tsh.csproj -c Release --no-restore -o /out/tsh

FROM mcr.microsoft.com/dotnet/aspnet:10.0
# A fixed numeric user, so Kubernetes' runAsNonRoot can check it and fsGroup can own the data volume.
RUN groupadd --system --gid 10001 teleport \
 && useradd --system --uid 10001 --gid teleport --home-dir /var/lib/teleport --shell /usr/sbin/nologin teleport \
 && mkdir -p /var/lib/teleport /etc/teleport \
 && chown teleport:teleport /var/lib/teleport
COPY --from=build /out/ /opt/teleport/
RUN ln -s /opt/teleport/teleport/teleport /usr/local/bin/teleport \
 && ln -s /opt/teleport/tctl/tctl /usr/local/bin/tctl \
 && ln -s /opt/teleport/tsh/tsh /usr/local/bin/tsh
USER 10001:10001
WORKDIR /var/lib/teleport
# 3025 auth API, 11111/30000 Orleans silo and gateway, 3080/3023/3024/3021 proxy, 3000 diagnostics.
EXPOSE 3025 11111 30000 3080 3023 3024 3021 3000
ENTRYPOINT ["/usr/local/bin/teleport"]
CMD ["start", "--config", "/etc/teleport/teleport.yaml"]
