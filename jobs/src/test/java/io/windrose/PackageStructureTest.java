package io.windrose;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Packages by pipeline stage, without cycles between them; the MQTT connector (module flink-connector-mqtt) knows
 * nothing of Windrose.
 */
class PackageStructureTest {
    private static final String CONNECTOR = "io.windrose.flink.connector.mqtt..";
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.windrose");

    @Test
    void noCycleBetweenStagePackages() {
        slices().matching("io.windrose.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void noCycleBetweenAnyTwoPackages() {
        slices().matching("io.windrose.(**)").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void theMqttConnectorUsesNothingOfWindrose() {
        noClasses().that().resideInAPackage(CONNECTOR)
                .should().dependOnClassesThat(resideInAPackage("io.windrose..").and(not(resideInAPackage(CONNECTOR))))
                .check(CLASSES);
    }
}
