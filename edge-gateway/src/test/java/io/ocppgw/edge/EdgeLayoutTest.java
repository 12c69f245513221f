package io.ocppgw.edge;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The edge's package layout, kept by its imports: one direction between packages, the root only composes. */
class EdgeLayoutTest {

    private static final JavaClasses EDGE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.ocppgw.edge");

    @Test
    void shouldHaveNoCyclesBetweenItsPackages() {
        slices().matching("io.ocppgw.edge.(*)..").should().beFreeOfCycles().check(EDGE);
    }

    @Test
    void shouldKeepThePackagesFreeOfTheCompositionRoot() {
        noClasses()
                .that()
                .resideInAnyPackage("io.ocppgw.edge.*..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.ocppgw.edge")
                .because("the root package composes the pod; what it builds must not need it back")
                .check(EDGE);
    }

    @Test
    void shouldKeepHandshakeSessionKafkaAndMetricsFreeOfTheCallHandling() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "io.ocppgw.edge.handshake..",
                        "io.ocppgw.edge.session..",
                        "io.ocppgw.edge.kafka..",
                        "io.ocppgw.edge.metrics..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.ocppgw.edge.upstream..", "io.ocppgw.edge.downstream..")
                .check(EDGE);
    }
}
