package io.ocppgw.launcher;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The module table, kept by the imports: the three apps never use each other, and the protocol and
 * the rules classes are pure (no Kafka, no Undertow, no sockets), so they can be tested without I/O.
 */
class ModuleBoundariesTest {

    private static final JavaClasses ALL = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.ocppgw");

    private static final String[] IO = {
        "org.apache.kafka..", "io.undertow..", "org.xnio..", "java.net..", "java.nio.channels.."
    };

    @Test
    void shouldKeepTheAppsApart() {
        noClasses()
                .that()
                .resideInAPackage("io.ocppgw.edge..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.ocppgw.route..", "io.ocppgw.reconcile..")
                .check(ALL);
        noClasses()
                .that()
                .resideInAPackage("io.ocppgw.route..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.ocppgw.edge..", "io.ocppgw.reconcile..")
                .check(ALL);
        noClasses()
                .that()
                .resideInAPackage("io.ocppgw.reconcile..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.ocppgw.edge..", "io.ocppgw.route..")
                .check(ALL);
    }

    @Test
    void shouldKeepTheProtocolFreeOfIo() {
        noClasses()
                .that()
                .resideInAPackage("io.ocppgw.protocol..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(IO)
                .check(ALL);
    }

    @Test
    void shouldKeepTheRulesClassesFreeOfIo() {
        noClasses()
                .that()
                .haveFullyQualifiedName("io.ocppgw.route.CommandRules")
                .or()
                .haveFullyQualifiedName("io.ocppgw.route.PodView")
                .or()
                .haveFullyQualifiedName("io.ocppgw.reconcile.TransactionRules")
                .or()
                .haveFullyQualifiedName("io.ocppgw.reconcile.Starts16")
                .or()
                .haveFullyQualifiedName("io.ocppgw.reconcile.BootChecks")
                .or()
                .haveFullyQualifiedName("io.ocppgw.reconcile.SamplingIntervals")
                .or()
                .haveFullyQualifiedName("io.ocppgw.reconcile.SeqRanges")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(IO)
                .check(ALL);
    }

    @Test
    void shouldSeeTheModulesItGuards() {
        // Rules over classes that were not imported would hold vacuously.
        assertThat(ALL.stream().map(JavaClass::getPackageName).distinct())
                .contains("io.ocppgw.edge", "io.ocppgw.route", "io.ocppgw.reconcile", "io.ocppgw.protocol");
    }
}
