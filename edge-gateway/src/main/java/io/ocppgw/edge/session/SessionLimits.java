package io.ocppgw.edge.session;

/**
 * What one charge point's session may hold.
 *
 * @param maxQueuedCalls    CALLs it may send ahead of their answers before it is closed (1008)
 * @param maxQueuedCommands commands waiting for it; beyond, they are refused
 * @param maxFrameBytes     a larger frame closes the socket (1009)
 */
public record SessionLimits(int maxQueuedCalls, int maxQueuedCommands, int maxFrameBytes) {}
