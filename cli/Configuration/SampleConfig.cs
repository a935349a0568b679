namespace Teleport.Orleans.Configuration;

/// <summary>
/// The annotated teleport.yaml that <c>teleport configure</c> prints: every supported key with what it does and
/// its default. Active lines hold the defaults of an all-in-one instance; optional keys are commented out.
/// A test parses it, so it cannot drift from the parser.
/// </summary>
public static class SampleConfig
{
    public const string Text = """
        # teleport.yaml: configuration of a Teleport.Orleans instance (Teleport config version v3).
        # Uncommented values are the defaults (labels and commands are examples): Auth, Proxy and SSH in one process.
        # Durations use Go syntax (30s, 1m30s, 12h); addresses are host:port, IPv6 in brackets ([::1]:3025).
        version: v3

        # Settings of the process itself.
        teleport:
          # Name of this instance in the cluster. Default: the machine's host name.
          # nodename: node-1

          # Where identity, local state and (with SQLite) the cluster state live. Default: /var/lib/teleport.
          data_dir: /var/lib/teleport

          # File the process id is written to. Default: none.
          # pid_file: /run/teleport.pid

          log:
            # Where log lines go: stderr, stdout, syslog or a file path. Default: stderr.
            output: stderr
            # Minimum level: DEBUG, INFO, WARN or ERROR. Default: INFO.
            severity: INFO
            format:
              # text or json. Default: text.
              output: text
              # Fields on each line (level, timestamp, component, caller). Default: all of them.
              # extra_fields: [level, timestamp, component, caller]

          # Cluster-state backend, audit events and session recordings (read by the Auth Service).
          storage:
            # sqlite (alias dir), postgresql, dynamodb, etcd, firestore, cockroachdb or azure. Default: sqlite.
            type: sqlite
            # SQLite: directory of the database. Default: <data_dir>/backend.
            # path: /var/lib/teleport/backend
            # PostgreSQL / CockroachDB (or Azure Storage): connection string. Default: none.
            # conn_string: postgresql://teleport@db.example.com:5432/teleport_backend?sslmode=verify-full
            # DynamoDB: AWS region and table of cluster state. Default: none.
            # region: us-east-1
            # table_name: teleport-backend
            # Non-default service endpoint (local DynamoDB, emulators, Azurite). Default: the service's own.
            # endpoint: http://localhost:8000
            # Firestore: Google Cloud project, collection of cluster state, service-account key (else the
            # application default credentials). Default: none.
            # project_id: my-project
            # collection_name: teleport-backend
            # credentials_path: /var/lib/teleport/gcp-key.json
            # etcd: member URLs and the key prefix of this cluster. Default: none.
            # peers: [https://etcd-1:2379, https://etcd-2:2379]
            # prefix: /teleport
            # Audit event stores, one URI or a list. Default: JSON files under <data_dir>/log.
            # audit_events_uri: ['file:///var/lib/teleport/log', 'stdout://']
            # Session recording store: s3://, gs://, azblob:// or file://. Default: <data_dir>/log/records.
            # audit_sessions_uri: s3://teleport-recordings/records?region=us-east-1
            # Any other key is passed to the backend as it is (e.g. billing_mode, auth_mode).

          # Join token for an instance joining an existing cluster (or a path to a file holding it). Default: none.
          # auth_token: /var/lib/teleport/token
          # How to join, instead of auth_token: the token's name and the join method. Default method: token.
          # join_params:
          #   token_name: my-token
          #   method: token

          # Where a joining instance finds the cluster: set one of these. Defaults: none (ports 3025, 3025, 3080).
          # auth_server: auth.example.com:3025
          # auth_servers: [auth-1.example.com:3025, auth-2.example.com:3025]
          # proxy_server: teleport.example.com:443

          # CA pin(s) checked when joining through auth_server ("sha256:..."; see tctl status). Default: none.
          # ca_pin: sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef

          # Address others use to reach this host when it differs from its own. Default: detected.
          # advertise_ip: 10.1.0.5

          # Health (/healthz, /readyz) and metrics endpoint. Default: disabled.
          # diag_addr: 127.0.0.1:3000

          connection_limits:
            # Concurrent connections per client IP. Default: 15000 (use 65000 on large clusters).
            max_connections: 15000
            # Concurrent users. Default: 250.
            max_users: 250

          cache:
            # Keep a local copy of cluster state so reads do not hit the backend. Default: yes.
            enabled: yes
            # in-memory or sqlite. Default: in-memory.
            type: in-memory
            # Longest wait between retries after a cache error; 8m-16m on large clusters. Default: 1m30s.
            max_backoff: 1m30s

        # Auth Service: certificate authorities, users, roles, the gRPC API.
        auth_service:
          # Run the Auth Service in this process. Default: yes (turn off on proxy and node instances).
          enabled: yes
          # gRPC API address. Default: 0.0.0.0:3025.
          listen_addr: 0.0.0.0:3025
          # How others reach this Auth Service, e.g. the auth pool's load balancer. Default: none.
          # public_addr: auth.example.com:3025
          # Name signed into every certificate; cannot change later. Default: the nodename.
          # cluster_name: teleport.example.com
          # multiplex (every protocol on the web port, TLS routing) or separate (a port each). Default: multiplex.
          proxy_listener_mode: multiplex
          # Teleport Enterprise license, relative to data_dir unless absolute. Default: none.
          # license_file: /var/lib/teleport/license.pem
          authentication:
            # local, github, oidc or saml. Default: local.
            type: local
            # off, otp, on, optional or webauthn. Default: otp.
            second_factor: otp
            # Newer list form, instead of second_factor: any of otp, webauthn, sso. Default: none.
            # second_factors: [webauthn, otp]
            # Default SSO connector for tsh login. Default: none.
            # connector_name: github
            # webauthn:
            #   Relying-party id, usually the proxy's domain; never change it once devices exist. Default: none.
            #   rp_id: teleport.example.com
          # Static join tokens, "roles:token". Discouraged: prefer tctl tokens add. Default: none.
          # tokens:
          #   - "node:replace-with-a-long-random-secret"
          # node, node-sync, proxy, proxy-sync or off. Default: node.
          session_recording: node
          # Shown to users before they log in. Default: none.
          # message_of_the_day: "Authorized use only."
          # unambiguous_match or most_recent, for host names that match several nodes. Default: unambiguous_match.
          routing_strategy: unambiguous_match

        # Proxy Service: web UI and API, SSH proxy, reverse tunnels.
        proxy_service:
          # Run the Proxy Service in this process. Default: yes.
          enabled: yes
          # SSH proxy address. Default: 0.0.0.0:3023.
          listen_addr: 0.0.0.0:3023
          # HTTPS web UI and API; with TLS routing, every protocol. Default: 0.0.0.0:3080.
          web_listen_addr: 0.0.0.0:3080
          # Reverse tunnels from nodes. Default: 0.0.0.0:3024.
          tunnel_listen_addr: 0.0.0.0:3024
          # Where other proxies forward connections for the node tunnels this proxy holds (mutual TLS), and the
          # address they dial; give each proxy of a pool its own. Default: 0.0.0.0:3021 on a shared backend, off on
          # sqlite; the public address defaults to this host's IP.
          # peer_listen_addr: 0.0.0.0:3021
          # peer_public_addr: 10.0.0.5:3021
          # Address users reach, usually the public load balancer. Default: none (port 3080 when left out).
          # public_addr: teleport.example.com:443
          # Public SSH proxy and tunnel addresses. Default: none (ports 3023 and 3024).
          # ssh_public_addr: teleport.example.com:3023
          # tunnel_public_addr: teleport.example.com:3024
          # TLS certificates for the web port. Default: none (a self-signed certificate is generated).
          # https_keypairs:
          #   - key_file: /etc/teleport-tls/tls.key
          #     cert_file: /etc/teleport-tls/tls.crt
          # How often to re-read https_keypairs; 0s never. Default: 0s.
          https_keypairs_reload_interval: 0s
          acme:
            # Get the web certificates for public_addr (TLS-ALPN-01 on the web port, which must be reachable on
            # 443) from Let's Encrypt; every proxy behind the load balancer serves them. Not with https_keypairs.
            # Default: no.
            enabled: no
            # Contact e-mail for the ACME account. Default: none.
            # email: admin@example.com
            # ACME directory. Default: Let's Encrypt production.
            # uri: https://acme-staging-v02.api.letsencrypt.org/directory
          # PROXY protocol header from the load balancer: on (required) or off (rejected). Default: either accepted.
          # proxy_protocol: on

        # SSH Service: this host as a node users can log in to.
        ssh_service:
          # Run the SSH Service in this process. Default: yes.
          enabled: yes
          # SSH server address. Default: 0.0.0.0:3022.
          listen_addr: 0.0.0.0:3022
          # How the proxy reaches this node when it is not its own address. Default: none (port 3022).
          # public_addr: node-1.example.com:3022
          # Static labels that roles match with node_labels. Default: none; this one is an example.
          labels:
            env: dev
          # Dynamic labels: name = output of command, re-run every period. Default: none; this one is an example.
          commands:
            - name: hostname
              command: [hostname]
              period: 1m0s
          pam:
            # Run PAM account and session modules for sessions. Default: no.
            enabled: no
            # The /etc/pam.d service to use. Default: sshd.
            service_name: sshd
          enhanced_recording:
            # Record commands, files and network activity with BPF. Default: no.
            enabled: no
          # Read ~/.tsh/environment on login. Default: no.
          permit_user_env: no
        """;
}
