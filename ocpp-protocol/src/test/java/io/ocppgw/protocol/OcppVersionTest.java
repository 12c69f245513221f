package io.ocppgw.protocol;

import static io.ocppgw.protocol.OcppVersion.OCPP_1_6;
import static io.ocppgw.protocol.OcppVersion.OCPP_2_0_1;
import static io.ocppgw.protocol.OcppVersion.OCPP_2_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class OcppVersionTest {

    private final EnumSet<OcppVersion> all = EnumSet.allOf(OcppVersion.class);

    @Test
    void shouldPreferTheNewestVersionTheClientOffersWhateverItsOrder() {
        assertThat(OcppVersion.negotiate(List.of("ocpp1.6", "ocpp2.0.1"), all)).contains(OCPP_2_0_1);
        assertThat(OcppVersion.negotiate(List.of("ocpp2.0.1", "ocpp2.1", "ocpp1.6"), all))
                .contains(OCPP_2_1);
        assertThat(OcppVersion.negotiate(List.of(" ocpp1.6 "), all)).contains(OCPP_1_6);
    }

    @Test
    void shouldOnlyChooseVersionsTheServerHasEnabled() {
        assertThat(OcppVersion.negotiate(List.of("ocpp2.1", "ocpp1.6"), EnumSet.of(OCPP_1_6, OCPP_2_0_1)))
                .contains(OCPP_1_6);
    }

    @Test
    void shouldFindNoVersionWhenNothingIsInCommon() {
        assertThat(OcppVersion.negotiate(List.of("ocpp1.5", "wamp", "OCPP1.6"), all))
                .isEmpty();
        assertThat(OcppVersion.negotiate(List.of(), all)).isEmpty();
    }

    @Test
    void shouldMapTokensBothWays() {
        for (OcppVersion v : OcppVersion.values()) {
            assertThat(OcppVersion.fromToken(v.token())).contains(v);
        }
        assertThat(OcppVersion.fromToken("ocpp2.0")).isEmpty();
    }

    @Test
    void shouldKnowWhichMessageTypesEachVersionHas() {
        assertThat(MessageType.SEND.existsIn(OCPP_2_1)).isTrue();
        assertThat(MessageType.CALLRESULTERROR.existsIn(OCPP_2_0_1)).isFalse();
        assertThat(MessageType.CALLRESULTERROR.existsIn(OCPP_1_6)).isFalse();
        assertThat(MessageType.CALL.existsIn(OCPP_1_6)).isTrue();
    }
}
