# The one ocppgw image: every role (edge, route, reconcile, topics apply) is a subcommand of the same jar.
# Build the jar first: mvn -B -q install -DskipTests && docker build -t ocppgw:0.1.0 .
FROM eclipse-temurin:17.0.17_10-jre-jammy

# a fixed non-root user, matching the chart's runAsUser/runAsGroup
RUN groupadd --system --gid 10001 ocppgw \
 && useradd --system --uid 10001 --gid ocppgw --home-dir /opt/ocppgw --shell /usr/sbin/nologin ocppgw \
 && mkdir -p /opt/ocppgw /var/lib/ocppgw/state \
 && chown -R ocppgw:ocppgw /var/lib/ocppgw

# the production jar: the roles and tools, without the dev stack, embedded broker, simulator and benchmarks
COPY --chown=root:root launcher/target/ocppgw-runtime.jar /opt/ocppgw/ocppgw.jar

USER 10001:10001
WORKDIR /opt/ocppgw
# 8080 WebSockets (edge), 9080-9082 admin ports (health, metrics, queries)
EXPOSE 8080 9080 9081 9082
# heap sized from the container's memory limit; the chart's JAVA_TOOL_OPTIONS refine it per role
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=70", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/ocppgw/ocppgw.jar"]
CMD ["--help"]
