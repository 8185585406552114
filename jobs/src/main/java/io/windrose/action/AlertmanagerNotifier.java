package io.windrose.action;

import io.windrose.action.state.AlertmanagerAlert;
import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.util.Collector;

/**
 * Keeps each raised Alertmanager alert (keyed by rule, sensor and action) and posts it again every
 * {@code actions.alertmanager.resend-interval} while it is raised, so that Alertmanager never resolves it by its
 * {@code resolve_timeout}; a CLEARED ends it (endsAt) and forgets it. A level change while raised is a new alert for
 * Alertmanager (its level label changes): the previous level's alert is ended, the new one started. The alerts and
 * their resend timers (processing time) are in checkpointed state; run it as {@link Operator}, which posts every raised
 * alert again as soon as it is restored (an Alertmanager restarted with the job has forgotten them: it keeps alerts in
 * memory only).
 *
 * <p>Its output is the finished alerts to post: labels tags &lt; default labels &lt; the rule's labels &lt; alertname,
 * sensor, level; the URLs the action's or the defaults'; generatorURL the sensor's Grafana dashboard.
 */
public final class AlertmanagerNotifier extends KeyedProcessFunction<String, AlertmanagerAlert, AlertmanagerAlert> {
    private static final long serialVersionUID = 1L;

    private final ActionsConfig.Alertmanager settings;
    private transient ValueState<AlertmanagerAlert> posted;
    private transient ValueState<Long> timer;

    public AlertmanagerNotifier(ActionsConfig.Alertmanager settings) {
        this.settings = settings;
    }

    /** The notifier as an operator that, restored from a checkpoint or savepoint, posts every raised alert at once. */
    public static final class Operator extends KeyedProcessOperator<String, AlertmanagerAlert, AlertmanagerAlert> {
        private static final long serialVersionUID = 1L;
        private transient boolean restored;

        public Operator(AlertmanagerNotifier notifier) {
            super(notifier);
        }

        @Override
        public void initializeState(StateInitializationContext context) throws Exception {
            super.initializeState(context);
            restored = context.isRestored();
        }

        @Override
        public void open() throws Exception {
            super.open();
            if (!restored) {
                return;
            }
            // the timer service KeyedProcessOperator made in open(): a timer due now for each raised alert
            InternalTimerService<VoidNamespace> timers = getInternalTimerService("user-timers",
                    VoidNamespaceSerializer.INSTANCE, this);
            long now = getProcessingTimeService().getCurrentProcessingTime();
            getKeyedStateBackend().applyToAllKeys(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, raised(),
                    (key, state) -> {
                        if (state.value() != null) {
                            timers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, now);
                        }
                    });
        }
    }

    static ValueStateDescriptor<AlertmanagerAlert> raised() {
        return new ValueStateDescriptor<>("alertmanager-raised", new AvroTypeInfo<>(AlertmanagerAlert.class));
    }

    @Override
    public void open(OpenContext context) {
        posted = getRuntimeContext().getState(raised());
        timer = getRuntimeContext().getState(new ValueStateDescriptor<>("alertmanager-resend", Types.LONG));
    }

    @Override
    public void processElement(AlertmanagerAlert alert, Context ctx, Collector<AlertmanagerAlert> out) throws Exception {
        AlertmanagerAlert before = posted.value();
        AlertmanagerAlert finished = finish(alert, settings);
        if (alert.getRaised()) {
            if (before != null && !before.getLabels().equals(finished.getLabels())) {
                out.collect(ended(before, alert.getEventTime())); // another level: another alert for Alertmanager
            }
            if (before != null && before.getLabels().equals(finished.getLabels())) {
                finished.setStartsAt(Math.min(before.getStartsAt(), finished.getStartsAt()));
            }
            out.collect(finished);
            posted.update(finished);
            if (timer.value() == null) {
                long at = ctx.timerService().currentProcessingTime() + settings.resendInterval.toMillis();
                ctx.timerService().registerProcessingTimeTimer(at);
                timer.update(at);
            }
        } else {
            out.collect(before != null ? ended(before, alert.getEventTime()) : finished);
            posted.clear();
            if (timer.value() != null) {
                ctx.timerService().deleteProcessingTimeTimer(timer.value());
                timer.clear();
            }
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AlertmanagerAlert> out) throws Exception {
        AlertmanagerAlert alert = posted.value();
        if (alert == null) {
            timer.clear();
            return;
        }
        out.collect(AlertmanagerAlert.newBuilder(alert).build());
        Long next = timer.value();
        if (next != null && next > timestamp) {
            return; // the post after a restore: the resends go on as scheduled
        }
        long at = ctx.timerService().currentProcessingTime() + settings.resendInterval.toMillis();
        ctx.timerService().registerProcessingTimeTimer(at);
        timer.update(at);
    }

    /** {@code alert} as posted: the default URLs and labels filled in, the generatorURL. */
    static AlertmanagerAlert finish(AlertmanagerAlert alert, ActionsConfig.Alertmanager settings) {
        Map<String, String> labels = new TreeMap<>(alert.getTags());
        labels.putAll(settings.labels);
        labels.putAll(alert.getLabels());
        AlertmanagerAlert finished = AlertmanagerAlert.newBuilder(alert)
                .setUrls(alert.getUrls().isEmpty() ? new ArrayList<>(settings.url) : new ArrayList<>(alert.getUrls()))
                .setTags(Map.of())
                .setLabels(labels)
                .build();
        if (settings.grafanaUrl != null && finished.getGeneratorUrl() == null) {
            finished.setGeneratorUrl(dashboard(settings.grafanaUrl, alert));
        }
        return finished;
    }

    /** The sensor on Grafana's sensors dashboard (deploy/grafana/dashboards/windrose-sensors.json). */
    static String dashboard(String grafana, AlertmanagerAlert alert) {
        String base = grafana.endsWith("/") ? grafana.substring(0, grafana.length() - 1) : grafana;
        StringBuilder url = new StringBuilder(base).append("/d/windrose-sensors/windrose-sensors?var-measurement=")
                .append(encode(alert.getMeasurement())).append("&var-sensor=").append(encode(alert.getSensorId()));
        if (!alert.getField().isEmpty()) {
            url.append("&var-field=").append(encode(alert.getField()));
        }
        return url.toString();
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static AlertmanagerAlert ended(AlertmanagerAlert alert, long at) {
        return AlertmanagerAlert.newBuilder(alert).setRaised(false).setEventTime(at)
                .setEndsAt(Math.max(at, alert.getStartsAt())).build();
    }
}
