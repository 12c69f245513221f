package io.ocppgw.protocol;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which actions each OCPP version has and who may initiate them. The action sets match the official
 * schema files one for one (a test holds them to that); the direction of each comes from the specs'
 * message lists. DataTransfer is the one action both sides may send.
 */
public final class ActionCatalogue {

    private static final Set<String> BOTH = Set.of("DataTransfer");

    private static final Set<String> V16_FROM_CP = Set.of(
            "Authorize",
            "BootNotification",
            "DataTransfer",
            "DiagnosticsStatusNotification",
            "FirmwareStatusNotification",
            "Heartbeat",
            "MeterValues",
            "StartTransaction",
            "StatusNotification",
            "StopTransaction",
            // 1.6 security extension
            "LogStatusNotification",
            "SecurityEventNotification",
            "SignCertificate",
            "SignedFirmwareStatusNotification");

    private static final Set<String> V16_FROM_CSMS = Set.of(
            "CancelReservation",
            "ChangeAvailability",
            "ChangeConfiguration",
            "ClearCache",
            "ClearChargingProfile",
            "DataTransfer",
            "GetCompositeSchedule",
            "GetConfiguration",
            "GetDiagnostics",
            "GetLocalListVersion",
            "RemoteStartTransaction",
            "RemoteStopTransaction",
            "ReserveNow",
            "Reset",
            "SendLocalList",
            "SetChargingProfile",
            "TriggerMessage",
            "UnlockConnector",
            "UpdateFirmware",
            // 1.6 security extension
            "CertificateSigned",
            "DeleteCertificate",
            "ExtendedTriggerMessage",
            "GetInstalledCertificateIds",
            "GetLog",
            "InstallCertificate",
            "SignedUpdateFirmware");

    private static final Set<String> V201_FROM_CP = Set.of(
            "Authorize",
            "BootNotification",
            "ClearedChargingLimit",
            "DataTransfer",
            "FirmwareStatusNotification",
            "Get15118EVCertificate",
            "GetCertificateStatus",
            "Heartbeat",
            "LogStatusNotification",
            "MeterValues",
            "NotifyChargingLimit",
            "NotifyCustomerInformation",
            "NotifyDisplayMessages",
            "NotifyEVChargingNeeds",
            "NotifyEVChargingSchedule",
            "NotifyEvent",
            "NotifyMonitoringReport",
            "NotifyReport",
            "PublishFirmwareStatusNotification",
            "ReportChargingProfiles",
            "ReservationStatusUpdate",
            "SecurityEventNotification",
            "SignCertificate",
            "StatusNotification",
            "TransactionEvent");

    private static final Set<String> V201_FROM_CSMS = Set.of(
            "CancelReservation",
            "CertificateSigned",
            "ChangeAvailability",
            "ClearCache",
            "ClearChargingProfile",
            "ClearDisplayMessage",
            "ClearVariableMonitoring",
            "CostUpdated",
            "CustomerInformation",
            "DataTransfer",
            "DeleteCertificate",
            "GetBaseReport",
            "GetChargingProfiles",
            "GetCompositeSchedule",
            "GetDisplayMessages",
            "GetInstalledCertificateIds",
            "GetLocalListVersion",
            "GetLog",
            "GetMonitoringReport",
            "GetReport",
            "GetTransactionStatus",
            "GetVariables",
            "InstallCertificate",
            "PublishFirmware",
            "RequestStartTransaction",
            "RequestStopTransaction",
            "ReserveNow",
            "Reset",
            "SendLocalList",
            "SetChargingProfile",
            "SetDisplayMessage",
            "SetMonitoringBase",
            "SetMonitoringLevel",
            "SetNetworkProfile",
            "SetVariableMonitoring",
            "SetVariables",
            "TriggerMessage",
            "UnlockConnector",
            "UnpublishFirmware",
            "UpdateFirmware");

    /** Added in 2.1, sent by the charging station. NotifyPeriodicEventStream is a SEND, never a CALL. */
    private static final Set<String> V21_NEW_FROM_CP = Set.of(
            "BatterySwap",
            "ClosePeriodicEventStream",
            "GetCertificateChainStatus",
            "NotifyDERAlarm",
            "NotifyDERStartStop",
            "NotifyPeriodicEventStream",
            "NotifyPriorityCharging",
            "NotifySettlement",
            "OpenPeriodicEventStream",
            "PullDynamicScheduleUpdate",
            "ReportDERControl",
            "VatNumberValidation");

    /** Added in 2.1, sent by the CSMS. */
    private static final Set<String> V21_NEW_FROM_CSMS = Set.of(
            "AFRRSignal",
            "AdjustPeriodicEventStream",
            "ChangeTransactionTariff",
            "ClearDERControl",
            "ClearTariffs",
            "GetDERControl",
            "GetPeriodicEventStream",
            "GetTariffs",
            "NotifyAllowedEnergyTransfer",
            "NotifyWebPaymentStarted",
            "RequestBatterySwap",
            "SetDERControl",
            "SetDefaultTariff",
            "UpdateDynamicSchedule",
            "UsePriorityCharging");

    /** Actions carried only by SEND frames (2.1), which have no response schema. */
    private static final Set<String> SEND_ONLY = Set.of("NotifyPeriodicEventStream");

    private static final Map<OcppVersion, Map<Initiator, Set<String>>> BY_VERSION = new EnumMap<>(OcppVersion.class);

    static {
        BY_VERSION.put(
                OcppVersion.OCPP_1_6, Map.of(Initiator.CHARGE_POINT, V16_FROM_CP, Initiator.CSMS, V16_FROM_CSMS));
        BY_VERSION.put(
                OcppVersion.OCPP_2_0_1, Map.of(Initiator.CHARGE_POINT, V201_FROM_CP, Initiator.CSMS, V201_FROM_CSMS));
        BY_VERSION.put(
                OcppVersion.OCPP_2_1,
                Map.of(
                        Initiator.CHARGE_POINT, union(V201_FROM_CP, V21_NEW_FROM_CP),
                        Initiator.CSMS, union(V201_FROM_CSMS, V21_NEW_FROM_CSMS)));
    }

    private ActionCatalogue() {}

    /** Every action of {@code version}, sorted. */
    public static Set<String> actions(OcppVersion version) {
        Map<Initiator, Set<String>> m = BY_VERSION.get(version);
        return union(m.get(Initiator.CHARGE_POINT), m.get(Initiator.CSMS));
    }

    public static Set<String> sentBy(OcppVersion version, Initiator initiator) {
        return BY_VERSION.get(version).get(initiator);
    }

    public static boolean isKnown(OcppVersion version, String action) {
        Map<Initiator, Set<String>> m = BY_VERSION.get(version);
        return m.get(Initiator.CHARGE_POINT).contains(action)
                || m.get(Initiator.CSMS).contains(action);
    }

    public static boolean mayBeSentBy(OcppVersion version, String action, Initiator initiator) {
        return BY_VERSION.get(version).get(initiator).contains(action);
    }

    public static boolean isBothWays(String action) {
        return BOTH.contains(action);
    }

    public static boolean isSendOnly(String action) {
        return SEND_ONLY.contains(action);
    }

    /**
     * Whether a CALL (or, in 2.1, a SEND) of {@code action} from {@code sender} is acceptable in
     * {@code version}; otherwise the error to answer: {@code NotImplemented} for an action the version
     * does not know, {@code NotSupported} for one the other side initiates (or a SEND-only action
     * sent as a CALL).
     */
    public static Optional<ErrorCode> checkCall(OcppVersion version, String action, Initiator sender) {
        if (!isKnown(version, action)) {
            return Optional.of(ErrorCode.NOT_IMPLEMENTED);
        }
        if (!mayBeSentBy(version, action, sender) || isSendOnly(action)) {
            return Optional.of(ErrorCode.NOT_SUPPORTED);
        }
        return Optional.empty();
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        TreeSet<String> all = new TreeSet<>(a);
        all.addAll(b);
        return java.util.Collections.unmodifiableSet(all);
    }
}
