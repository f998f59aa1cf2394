/**
 * Federated learning without a network: MNIST read from its IDX files, the client splits and the
 * two models of McMahan et al. 2017 (2NN and logistic regression), FedAvg's weighted average, an
 * in-process simulation of FedAvg rounds with dropouts, and DP-FedAvg's clipping, Gaussian noise
 * and Renyi-DP accountant. Deterministic given the seeds. Not exported: the fl-fedavg bundle copies
 * the package in.
 */
package org.qdht.fl.core;
