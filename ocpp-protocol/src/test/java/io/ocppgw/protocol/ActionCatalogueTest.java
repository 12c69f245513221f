package io.ocppgw.protocol;

import static io.ocppgw.protocol.Initiator.CHARGE_POINT;
import static io.ocppgw.protocol.Initiator.CSMS;
import static io.ocppgw.protocol.OcppVersion.OCPP_1_6;
import static io.ocppgw.protocol.OcppVersion.OCPP_2_0_1;
import static io.ocppgw.protocol.OcppVersion.OCPP_2_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ActionCatalogueTest {

    @ParameterizedTest
    @EnumSource(OcppVersion.class)
    void shouldListExactlyTheActionsThatHaveOfficialSchemas(OcppVersion version) throws Exception {
        assertThat(ActionCatalogue.actions(version)).isEqualTo(actionsWithSchemas(version));
    }

    @Test
    void shouldKnowWhoSendsWhat() {
        assertThat(ActionCatalogue.mayBeSentBy(OCPP_1_6, "StartTransaction", CHARGE_POINT))
                .isTrue();
        assertThat(ActionCatalogue.mayBeSentBy(OCPP_1_6, "StartTransaction", CSMS))
                .isFalse();
        assertThat(ActionCatalogue.mayBeSentBy(OCPP_1_6, "RemoteStartTransaction", CSMS))
                .isTrue();
        assertThat(ActionCatalogue.mayBeSentBy(OCPP_2_0_1, "TransactionEvent", CHARGE_POINT))
                .isTrue();
        assertThat(ActionCatalogue.mayBeSentBy(OCPP_2_0_1, "RequestStartTransaction", CSMS))
                .isTrue();
        assertThat(ActionCatalogue.mayBeSentBy(OCPP_2_1, "BatterySwap", CHARGE_POINT))
                .isTrue();
        assertThat(ActionCatalogue.mayBeSentBy(OCPP_2_1, "RequestBatterySwap", CSMS))
                .isTrue();
        for (OcppVersion v : OcppVersion.values()) {
            assertThat(ActionCatalogue.mayBeSentBy(v, "DataTransfer", CHARGE_POINT))
                    .isTrue();
            assertThat(ActionCatalogue.mayBeSentBy(v, "DataTransfer", CSMS)).isTrue();
        }
    }

    @Test
    void shouldSeparateVersionsActions() {
        assertThat(ActionCatalogue.isKnown(OCPP_1_6, "TransactionEvent")).isFalse();
        assertThat(ActionCatalogue.isKnown(OCPP_2_0_1, "StartTransaction")).isFalse();
        assertThat(ActionCatalogue.isKnown(OCPP_2_0_1, "BatterySwap")).isFalse();
        assertThat(ActionCatalogue.isKnown(OCPP_2_1, "TransactionEvent")).isTrue();
    }

    @Test
    void shouldTellWhichErrorAnUnacceptableCallDeserves() {
        assertThat(ActionCatalogue.checkCall(OCPP_1_6, "BootNotification", CHARGE_POINT))
                .isEmpty();
        assertThat(ActionCatalogue.checkCall(OCPP_1_6, "MakeCoffee", CHARGE_POINT))
                .contains(ErrorCode.NOT_IMPLEMENTED);
        assertThat(ActionCatalogue.checkCall(OCPP_1_6, "Reset", CHARGE_POINT)).contains(ErrorCode.NOT_SUPPORTED);
        assertThat(ActionCatalogue.checkCall(OCPP_2_0_1, "StartTransaction", CHARGE_POINT))
                .contains(ErrorCode.NOT_IMPLEMENTED);
        assertThat(ActionCatalogue.checkCall(OCPP_2_1, "NotifyPeriodicEventStream", CHARGE_POINT))
                .contains(ErrorCode.NOT_SUPPORTED);
        assertThat(ActionCatalogue.checkCall(OCPP_2_0_1, "BootNotification", CSMS))
                .contains(ErrorCode.NOT_SUPPORTED);
    }

    @Test
    void shouldHaveNoActionOnBothSidesButDataTransfer() {
        for (OcppVersion v : OcppVersion.values()) {
            Set<String> both = ActionCatalogue.sentBy(v, CHARGE_POINT).stream()
                    .filter(a -> ActionCatalogue.sentBy(v, CSMS).contains(a))
                    .collect(Collectors.toSet());
            assertThat(both).as(v.token()).containsExactly("DataTransfer");
        }
    }

    static Set<String> actionsWithSchemas(OcppVersion version) throws IOException, URISyntaxException {
        Path dir = Path.of(ActionCatalogueTest.class
                .getClassLoader()
                .getResource(SchemaValidator.SCHEMA_ROOT + version.token())
                .toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".json") && !n.endsWith("Response.json"))
                    .map(n -> n.substring(0, n.length() - ".json".length()))
                    .map(n -> version.isTwoX() && n.endsWith("Request")
                            ? n.substring(0, n.length() - "Request".length())
                            : n)
                    .collect(Collectors.toSet());
        }
    }
}
