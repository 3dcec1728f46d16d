package org.alcor.controller;

import java.util.concurrent.CountDownLatch;
import org.alcor.controller.config.ControllerConfig;

/** {@code bin/alcor controller [--key value ...]}: runs the controller until it is stopped. */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws InterruptedException {
        ProcessLogging.install();
        ControllerConfig config;
        try {
            config = ControllerConfig.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("alcor controller: " + e.getMessage());
            System.exit(2);
            return;
        }
        ControllerApp app = ControllerApp.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "alcor-shutdown"));
        stopped.await();
    }
}
