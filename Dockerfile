# The Shardwire proxy, built from this checkout with Maven; used by docker-compose.yml.
# Not built here (no Docker engine on the machines this was written on): see docs/operations.md.
FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
COPY pom.xml ./
COPY config config
COPY router router
COPY embedded embedded
COPY mq-bridge mq-bridge
COPY cdc cdc
COPY proxy proxy
COPY it/pom.xml it/pom.xml
# The proxy and every runtime jar it needs (its sibling modules come from this same reactor build).
RUN mvn -B -ntp -DskipTests package dependency:copy-dependencies -pl proxy -am -DincludeScope=runtime \
 && mkdir -p /opt/shardwire/lib \
 && cp proxy/target/shardwire-proxy.jar proxy/target/dependency/*.jar /opt/shardwire/lib/

FROM eclipse-temurin:21-jre
COPY --from=build /opt/shardwire/lib /opt/shardwire/lib
RUN mkdir -p /var/lib/shardwire /etc/shardwire
VOLUME /var/lib/shardwire
EXPOSE 3307 9066
ENTRYPOINT ["java", "-cp", "/opt/shardwire/lib/*", "io.shardwire.proxy.launcher.ShardwireCommand"]
CMD ["start", "--config", "/etc/shardwire/shardwire.yaml"]
